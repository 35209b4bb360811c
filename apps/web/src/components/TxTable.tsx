import { formatEther, type Transaction } from 'viem'

type Column = { title: string; cell: (tx: Transaction) => React.ReactNode }

const short = (hex: string, n: number) => `${hex.slice(0, n)}…`

/** A block's transactions: hash, from, to, value, then the chain-specific `extra` columns. */
export function TxTable({ transactions, extra = [] }: { transactions: readonly Transaction[]; extra?: Column[] }) {
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
            <td className="mono">{short(tx.hash, 12)}</td>
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
