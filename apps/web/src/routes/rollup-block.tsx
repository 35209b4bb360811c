import { formatEther } from 'viem'
import { l2 } from '../lib/rollup.ts'
import { usePoll } from '../lib/usePoll.ts'

export function RollupBlock({ block }: { block: string }) {
  const { data, error } = usePoll(
    async () => {
      if (!l2) throw new Error('no rollup node in this stack')
      return l2.getBlock({ blockNumber: BigInt(block), includeTransactions: true })
    },
    5000,
    [block],
  )
  if (error) return <p className="error">{error}</p>
  if (!data) return <p>Loading…</p>
  return (
    <section>
      <h1>Rollup block #{String(data.number)}</h1>
      <table className="kv">
        <tbody>
          <tr>
            <th>Hash</th>
            <td className="mono">{data.hash}</td>
          </tr>
          <tr>
            <th>State root</th>
            <td className="mono">{data.stateRoot}</td>
          </tr>
          <tr>
            <th>Gas used</th>
            <td>{data.gasUsed.toLocaleString()}</td>
          </tr>
        </tbody>
      </table>
      <h2>Transactions</h2>
      <table className="grid">
        <thead>
          <tr>
            <th>Tx</th>
            <th>From</th>
            <th>To</th>
            <th>Value</th>
            <th>Nonce</th>
          </tr>
        </thead>
        <tbody>
          {data.transactions.map((tx) => (
            <tr key={tx.hash}>
              <td className="mono">{tx.hash.slice(0, 12)}…</td>
              <td className="mono">{tx.from.slice(0, 10)}…</td>
              <td className="mono">{tx.to ? `${tx.to.slice(0, 10)}…` : 'create'}</td>
              <td>{formatEther(tx.value)} ETH</td>
              <td>{tx.nonce}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
