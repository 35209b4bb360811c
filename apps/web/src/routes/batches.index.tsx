import { useQuery } from '@tanstack/react-query'
import { createFileRoute, Link } from '@tanstack/react-router'
import { NotFound } from '../components/NotFound.tsx'
import { Empty, ErrorNote, Loading } from '../components/States.tsx'
import { listBatches } from '../lib/batches.ts'
import { useChain } from '../lib/chain-context.tsx'
import { short } from '../lib/format.ts'

export const Route = createFileRoute('/batches/')({ component: Batches })

/** The chain's batches as its inbox recorded them, newest first; new ones arrive with the inbox's logs. */
function Batches() {
  const { network, chain, known } = useChain()
  const batches = useQuery({
    queryKey: ['batches', chain?.inbox],
    enabled: chain !== undefined,
    queryFn: () => listBatches(network.l1, chain!.inbox),
  })
  if (known && !chain) return <NotFound what="No known chain matches this chain id or inbox." />
  return (
    <section>
      <h1>Batches</h1>
      {chain && (
        <p className="muted">
          Posted to inbox <span className="mono">{chain.inbox}</span> on L1 as blob transactions, pinned on IPFS.
        </p>
      )}
      {batches.error ? (
        <ErrorNote error={batches.error} />
      ) : !batches.data ? (
        <Loading what="batches" />
      ) : batches.data.length === 0 ? (
        <Empty>No batch posted to this inbox yet.</Empty>
      ) : (
        <div className="scroll">
          <table className="grid">
            <caption className="visually-hidden">Batches</caption>
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">L2 blocks</th>
                <th scope="col">Blobs</th>
                <th scope="col">L1 blob tx</th>
                <th scope="col">CID</th>
              </tr>
            </thead>
            <tbody>
              {batches.data.map((b) => (
                <tr key={String(b.index)}>
                  <td>
                    <Link to="/batches/$batch" params={{ batch: b.index }}>
                      #{String(b.index)}
                    </Link>
                  </td>
                  <td>
                    #{String(b.firstBlock)}–#{String(b.lastBlock)}
                  </td>
                  <td>{b.blobHashes.length}</td>
                  <td className="mono">
                    <Link to="/l1/tx/$hash" params={{ hash: b.l1TxHash }}>
                      {short(b.l1TxHash, 12)}
                    </Link>
                  </td>
                  <td className="mono">{short(b.cid, 14)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
