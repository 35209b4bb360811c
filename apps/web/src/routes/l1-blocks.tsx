import { Link } from '@tanstack/react-router'
import { l1 } from '../lib/clients.ts'
import { usePoll } from '../lib/usePoll.ts'

const PAGE = 15n

async function latestBlocks() {
  const head = await l1.getBlockNumber()
  const numbers = Array.from({ length: Number(head + 1n < PAGE ? head + 1n : PAGE) }, (_, i) => head - BigInt(i))
  return Promise.all(numbers.map((blockNumber) => l1.getBlock({ blockNumber })))
}

export function L1Blocks() {
  const { data, error } = usePoll(latestBlocks, 2000)
  return (
    <section>
      <h1>L1 blocks</h1>
      {error && <p className="error">{error}</p>}
      <table className="grid">
        <thead>
          <tr>
            <th>Block</th>
            <th>Age</th>
            <th>Txs</th>
            <th>Gas used</th>
            <th>Blob gas</th>
            <th>Base fee</th>
          </tr>
        </thead>
        <tbody>
          {data?.map((b) => (
            <tr key={String(b.number)}>
              <td>
                <Link to="/l1/$block" params={{ block: b.number }}>
                  #{String(b.number)}
                </Link>
              </td>
              <td>{Math.max(0, Math.round(Date.now() / 1000 - Number(b.timestamp)))} s</td>
              <td>{b.transactions.length}</td>
              <td>{b.gasUsed.toLocaleString()}</td>
              <td>{(b.blobGasUsed ?? 0n).toLocaleString()}</td>
              <td>{b.baseFeePerGas?.toLocaleString()} wei</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
