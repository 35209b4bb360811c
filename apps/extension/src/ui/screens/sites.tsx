import { background } from '../api.ts'
import { ago } from '../components.tsx'
import { useAsync } from '../use-async.ts'
import { GrantsList } from './grants.tsx'

export function SitesScreen() {
  const { data: sites, reload } = useAsync(() => background('ui:sites', undefined))
  return (
    <>
      <section className="card">
        <h2>Connected sites</h2>
        {!sites?.length && <p className="muted">No site is connected.</p>}
        <ul className="list">
          {sites?.map((site) => (
            <li key={site.origin} className="row">
              <div>
                <div>{site.origin}</div>
                <div className="muted small">since {ago(site.date)}</div>
              </div>
              <button type="button" onClick={() => background('ui:disconnect', { origin: site.origin }).then(reload)}>
                Disconnect
              </button>
            </li>
          ))}
        </ul>
      </section>
      <GrantsList />
    </>
  )
}
