import { Link } from '@tanstack/react-router'
import { formatEther, type Transaction } from 'viem'

type Column = { title: string; cell: (tx: Transaction) => React.ReactNode }

const short = (hex: string, n: number) => `${hex.slice(0, n)}…`

/**
 * A block's transactions: hash, from, to, value, then the chain-specific `extra` columns.
 * `linkToL1Tx`: each hash opens the L1 transaction page.
 */
export function TxTable({
  transactions,
  extra = [],
  linkToL1Tx = false,
}: {
  transactions: readonly Transaction[]
  extra?: Column[]
  linkToL1Tx?: boolean
}) {
  if (transactions.length === 0) return <p className="muted">No transactions in this block.</p>
  return (
    <table className="grid">
      <thead>
        <tr>
          <th>Tx</th>
          <th>From</th>
          <th>To</th>
          <th>Value</th>
          {extra.map((c) => (
            <th key={c.title}>{c.title}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {transactions.map((tx) => (
          <tr key={tx.hash}>
            <td className="mono">
              {linkToL1Tx ? (
                <Link to="/l1/tx/$hash" params={{ hash: tx.hash }}>
                  {short(tx.hash, 12)}
                </Link>
              ) : (
                short(tx.hash, 12)
              )}
            </td>
            <td className="mono">{short(tx.from, 10)}</td>
            <td className="mono">{tx.to ? short(tx.to, 10) : 'create'}</td>
            <td>{formatEther(tx.value)} ETH</td>
            {extra.map((c) => (
              <td key={c.title}>{c.cell(tx)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
