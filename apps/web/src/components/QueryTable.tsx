/**
 * The list pattern every page repeats: loading, error, empty, then rows newest first, a window of them at a
 * time with a "Show older" button, so a long history renders a page of rows rather than all of them.
 */
import { type ReactNode, useState } from 'react'
import { Empty, ErrorNote, Loading } from './States.tsx'

export const PAGE_SIZE = 25

export type Column<T> = { header: string; cell: (row: T) => ReactNode; className?: string }

/** The first `shown` rows and how to show `pageSize` more. */
export function useRowWindow<T>(rows: readonly T[], pageSize = PAGE_SIZE) {
  const [shown, setShown] = useState(pageSize)
  return {
    visible: rows.slice(0, shown),
    older: Math.max(0, rows.length - shown),
    more: () => setShown(shown + pageSize),
  }
}

export function ShowOlder({ older, more, what }: { older: number; more: () => void; what: string }) {
  if (older === 0) return null
  return (
    <button type="button" className="show-older" onClick={more}>
      Show older {what} ({older} more)
    </button>
  )
}

/** A query's rows in states: the list only once there is something to list. */
export function QueryRows<T>({
  query,
  what,
  empty,
  children,
}: {
  query: { data: readonly T[] | undefined; error: unknown }
  what: string
  empty: ReactNode
  children: (rows: readonly T[]) => ReactNode
}) {
  if (query.error && query.data === undefined) return <ErrorNote error={query.error} />
  if (query.data === undefined) return <Loading what={what} />
  // A failed refresh keeps the rows it had, and says it failed: stale rows are never passed off as current.
  return (
    <>
      {query.error ? <ErrorNote error={query.error} /> : null}
      {query.data.length === 0 ? <Empty>{empty}</Empty> : children(query.data)}
    </>
  )
}

export function QueryTable<T>({
  query,
  what,
  caption,
  empty,
  className,
  columns,
  rowKey,
  rowClassName,
  pageSize,
}: {
  query: { data: readonly T[] | undefined; error: unknown }
  /** Plural, lower case: "deposits"; the table's caption is the same word capitalised unless `caption` is given. */
  what: string
  caption?: string
  empty: ReactNode
  className: string
  columns: Column<T>[]
  rowKey: (row: T) => string
  rowClassName?: (row: T) => string | undefined
  pageSize?: number
}) {
  return (
    <QueryRows query={query} what={what} empty={empty}>
      {(rows) => (
        <Table
          rows={rows}
          what={what}
          caption={caption ?? what[0]!.toUpperCase() + what.slice(1)}
          className={className}
          columns={columns}
          rowKey={rowKey}
          rowClassName={rowClassName}
          pageSize={pageSize}
        />
      )}
    </QueryRows>
  )
}

function Table<T>({
  rows,
  what,
  caption,
  className,
  columns,
  rowKey,
  rowClassName,
  pageSize,
}: {
  rows: readonly T[]
  what: string
  caption: string
  className: string
  columns: Column<T>[]
  rowKey: (row: T) => string
  rowClassName?: (row: T) => string | undefined
  pageSize?: number
}) {
  const { visible, older, more } = useRowWindow(rows, pageSize)
  return (
    <>
      <div className="scroll">
        <table className={`grid ${className}`}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" key={c.header}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => (
              <tr key={rowKey(row)} className={rowClassName?.(row)}>
                {columns.map((c) => (
                  <td key={c.header} className={c.className}>
                    {c.cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ShowOlder older={older} more={more} what={what} />
    </>
  )
}
