/** The loading, empty and error states every page shows the same way. */
import type { ReactNode } from 'react'

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  )
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>
}

export function ErrorNote({ error }: { error: unknown }) {
  const message =
    error && typeof error === 'object' && 'shortMessage' in error
      ? String(error.shortMessage)
      : error instanceof Error
        ? error.message
        : String(error)
  return (
    <p className="error" role="alert">
      {message}
    </p>
  )
}

/** One query's three states, then its data. */
export function QueryView<T>({
  query,
  what,
  children,
}: {
  query: { data: T | undefined; error: unknown; isPending: boolean }
  what: string
  children: (data: T) => ReactNode
}) {
  if (query.data !== undefined) return <>{children(query.data)}</>
  if (query.error) return <ErrorNote error={query.error} />
  return <Loading what={what} />
}
