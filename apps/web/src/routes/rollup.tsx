import { Link } from '@tanstack/react-router'
import { hexToNumber } from 'viem'
import { manifest } from '../lib/clients.ts'
import { l2, rollupRpcUrl, rollupStatus } from '../lib/rollup.ts'
import { usePoll } from '../lib/usePoll.ts'

const PAGE = 15
/** The stack's IPFS peer serves the batch bytes it pins at /ipfs/<cid>. */
const ipfsPeer = manifest.services.ipfsHttp

async function latestBlocks() {
  const client = l2
  if (!client) return []
  const head = await client.getBlockNumber()
  const count = Math.min(PAGE, Number(head) + 1)
  return Promise.all(Array.from({ length: count }, (_, i) => client.getBlock({ blockNumber: head - BigInt(i) })))
}

export function Rollup() {
  const status = usePoll(rollupStatus, 1000)
  const blocks = usePoll(latestBlocks, 1000)
  if (!rollupRpcUrl) return <p>This stack runs no rollup node.</p>
  const s = status.data
  return (
    <section>
      <h1>Rollup</h1>
      {status.error && <p className="error">{status.error}</p>}
      {s && (
        <table className="kv">
          <tbody>
            <tr>
              <th>RPC</th>
              <td>
                {rollupRpcUrl} (chain {hexToNumber(s.chainId)})
              </td>
            </tr>
            <tr>
              <th>Head</th>
              <td>
                #{hexToNumber(s.head.number)} · persisted #{hexToNumber(s.persistedHead)}
              </td>
            </tr>
            <tr>
              <th>State root</th>
              <td className="mono">{s.head.stateRoot}</td>
            </tr>
            <tr>
              <th>Open block</th>
              <td>
                #{hexToNumber(s.openBlock.number)} · {s.openBlock.txCount} txs being committed · {s.pendingCount}{' '}
                waiting in the pool
              </td>
            </tr>
            <tr>
              <th>Last batch</th>
              <td>
                {s.lastBatch.l1TxHash ? (
                  <>
                    up to L2 #{s.lastBatch.l2BlockEnd ? hexToNumber(s.lastBatch.l2BlockEnd) : '?'} · blob tx{' '}
                    <Link className="mono" to="/l1/tx/$hash" params={{ hash: s.lastBatch.l1TxHash }}>
                      {s.lastBatch.l1TxHash.slice(0, 14)}…
                    </Link>{' '}
                    · {s.lastBatch.blobVersionedHashes.length} blobs · CID{' '}
                    {s.lastBatch.cid && ipfsPeer ? (
                      <a className="mono" href={`${ipfsPeer}/ipfs/${s.lastBatch.cid}`}>
                        {s.lastBatch.cid}
                      </a>
                    ) : (
                      <span className="mono">{s.lastBatch.cid}</span>
                    )}
                  </>
                ) : (
                  'none posted yet'
                )}
              </td>
            </tr>
          </tbody>
        </table>
      )}
      <h2>Latest blocks</h2>
      <table className="grid">
        <thead>
          <tr>
            <th>Block</th>
            <th>Txs</th>
            <th>Gas used</th>
            <th>State root</th>
          </tr>
        </thead>
        <tbody>
          {blocks.data?.map((b) => (
            <tr key={String(b.number)}>
              <td>
                <Link to="/rollup/$block" params={{ block: b.number }}>
                  #{String(b.number)}
                </Link>
              </td>
              <td>{b.transactions.length}</td>
              <td>{b.gasUsed.toLocaleString()}</td>
              <td className="mono">{b.stateRoot.slice(0, 18)}…</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
