import { TxTable } from '../components/TxTable.tsx'
import { blockOrReason } from '../lib/block.ts'
import { l2 } from '../lib/rollup.ts'
import { usePoll } from '../lib/usePoll.ts'

export function RollupBlock({ block }: { block: bigint }) {
  const { data, error } = usePoll(
    async () => {
      if (!l2) throw new Error('no rollup node in this stack')
      return blockOrReason(l2, block)
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
      <TxTable transactions={data.transactions} extra={[{ title: 'Nonce', cell: (tx) => tx.nonce }]} />
    </section>
  )
}
