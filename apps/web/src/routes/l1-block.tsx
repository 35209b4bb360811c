import { formatEther } from 'viem'
import { l1 } from '../lib/clients.ts'
import { usePoll } from '../lib/usePoll.ts'

export function L1Block({ block }: { block: string }) {
  const { data, error } = usePoll(() => l1.getBlock({ blockNumber: BigInt(block), includeTransactions: true }), 5000, [
    block,
  ])
  if (error) return <p className="error">{error}</p>
  if (!data) return <p>Loading…</p>
  return (
    <section>
      <h1>L1 block #{String(data.number)}</h1>
      <p className="mono">{data.hash}</p>
      <table className="grid">
        <thead>
          <tr>
            <th>Tx</th>
            <th>Type</th>
            <th>From</th>
            <th>To</th>
            <th>Value</th>
            <th>Blobs</th>
          </tr>
        </thead>
        <tbody>
          {data.transactions.map((tx) => (
            <tr key={tx.hash}>
              <td className="mono">{tx.hash.slice(0, 12)}…</td>
              <td>{tx.type}</td>
              <td className="mono">{tx.from.slice(0, 10)}…</td>
              <td className="mono">{tx.to ? `${tx.to.slice(0, 10)}…` : 'create'}</td>
              <td>{formatEther(tx.value)} ETH</td>
              <td>{tx.blobVersionedHashes?.length ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
