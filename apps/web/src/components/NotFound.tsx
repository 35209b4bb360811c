import { Link } from '@tanstack/react-router'

/** Inside the layout: an unknown page, a malformed parameter, or a hash or block nobody has. */
export function NotFound({ what }: { what?: string }) {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        {what ?? 'There is no such page here.'} Try the <Link to="/">overview</Link>, the{' '}
        <Link to="/blocks">rollup blocks</Link> or the search above.
      </p>
    </section>
  )
}
