import { useQuery, useQueryClient } from '@tanstack/react-query'
import { createFileRoute, Link } from '@tanstack/react-router'
import { NotFound } from '../components/NotFound.tsx'
import { ErrorNote, Loading } from '../components/States.tsx'
import { batchFigures, batchFiguresKey, listBatches } from '../lib/batches.ts'
import { useChain } from '../lib/chain-context.tsx'
import { fetchAndCheckCid } from '../lib/cid.ts'
import { eth, integer } from '../lib/format.ts'
import { batchIndexSchema, pathParam } from '../lib/params.ts'

export const Route = createFileRoute('/batches/$batch')({
  params: pathParam('batch', batchIndexSchema),
  component: BatchPage,
})

function BatchPage() {
  const { batch: index } = Route.useParams()
  const { network, chain, l2, key } = useChain()
  const queryClient = useQueryClient()
  const batches = useQuery({
    queryKey: ['batches', chain?.inbox],
    enabled: chain !== undefined,
    queryFn: () => listBatches(network.l1, chain!.inbox),
  })
  const batch = batches.data?.find((b) => b.index === index)
  const figures = useQuery({
    queryKey: [...batchFiguresKey(chain?.inbox ?? '0x', index), ...key],
    enabled: batch !== undefined,
    queryFn: () => batchFigures(queryClient, network.l1, l2 && { client: l2.client, key }, network.ipfsUrl, batch!),
    staleTime: Number.POSITIVE_INFINITY,
  })
  // The browser hashes the bytes the IPFS peer serves: the peer is not trusted to serve the right ones.
  const check = useQuery({
    queryKey: ['cid-check', batch?.cid],
    enabled: batch !== undefined && network.ipfsUrl !== undefined,
    queryFn: ({ signal }) => fetchAndCheckCid(network.ipfsUrl!, batch!.cid, signal),
    staleTime: Number.POSITIVE_INFINITY,
  })
  if (batches.error) return <ErrorNote error={batches.error} />
  if (!batches.data) return <Loading what={`batch #${index}`} />
  if (!batch) return <NotFound what={`This chain's inbox has no batch #${index}.`} />
  const f = figures.data
  return (
    <section>
      <h1>Batch #{String(batch.index)}</h1>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">L2 blocks</th>
            <td>
              <Link to="/block/$block" params={{ block: batch.firstBlock }}>
                #{String(batch.firstBlock)}
              </Link>{' '}
              to{' '}
              <Link to="/block/$block" params={{ block: batch.lastBlock }}>
                #{String(batch.lastBlock)}
              </Link>
            </td>
          </tr>
          <tr>
            <th scope="row">Blob transaction</th>
            <td className="mono">
              <Link to="/l1/tx/$hash" params={{ hash: batch.l1TxHash }}>
                {batch.l1TxHash}
              </Link>{' '}
              in L1 block{' '}
              <Link to="/l1/block/$block" params={{ block: batch.l1Block }}>
                #{String(batch.l1Block)}
              </Link>
            </td>
          </tr>
          <tr>
            <th scope="row">Blob versioned hashes</th>
            <td className="mono">
              {batch.blobHashes.map((h) => (
                <div key={h}>{h}</div>
              ))}
            </td>
          </tr>
          <tr>
            <th scope="row">CID</th>
            <td>
              {network.ipfsUrl ? (
                <a className="mono" id="batch-cid" href={`${network.ipfsUrl}/ipfs/${batch.cid}`}>
                  {batch.cid}
                </a>
              ) : (
                <span className="mono">{batch.cid}</span>
              )}
              <div id="cid-check" role="status">
                {!network.ipfsUrl
                  ? 'This network names no IPFS peer to fetch the bytes from.'
                  : check.error
                    ? `Could not fetch the bytes: ${check.error.message}`
                    : !check.data
                      ? 'Fetching the bytes from the IPFS peer to check them…'
                      : check.data.matches
                        ? `✓ The IPFS peer's ${integer(check.data.size)} bytes hash to this CID.`
                        : `✗ The IPFS peer's bytes hash to ${check.data.actual}, not to this CID.`}
              </div>
            </td>
          </tr>
          <tr>
            <th scope="row">Output root</th>
            <td className="mono">{batch.outputRoot}</td>
          </tr>
          <tr>
            <th scope="row">Batch hash</th>
            <td className="mono">{batch.batchHash}</td>
          </tr>
          {figures.error ? (
            <tr>
              <th scope="row">Figures</th>
              <td>
                <ErrorNote error={figures.error} />
              </td>
            </tr>
          ) : !f ? (
            <tr>
              <th scope="row">Figures</th>
              <td>
                <Loading what="cost and size" />
              </td>
            </tr>
          ) : (
            <>
              <tr>
                <th scope="row">L1 cost</th>
                <td>
                  {eth(f.costWei)} ({integer(f.l1GasUsed)} gas, {integer(f.blobGasUsed)} blob gas)
                </td>
              </tr>
              <tr>
                <th scope="row">L2 transactions</th>
                <td>{f.l2Transactions ?? 'not counted here'}</td>
              </tr>
              <tr>
                <th scope="row">Bytes per transaction</th>
                <td>{f.bytesPerTx === undefined ? '–' : `${Math.round(f.bytesPerTx)} bytes`}</td>
              </tr>
              <tr>
                <th scope="row">Blob fill</th>
                <td>
                  {f.fill === undefined
                    ? '–'
                    : `${(f.fill * 100).toFixed(2)} % (${integer(f.channelBytes ?? 0)} bytes in ${batch.blobHashes.length} blobs)`}
                </td>
              </tr>
              <tr>
                <th scope="row">L2 to L1 delay</th>
                <td>{f.inclusionDelayS} s from its oldest block</td>
              </tr>
            </>
          )}
        </tbody>
      </table>
    </section>
  )
}
