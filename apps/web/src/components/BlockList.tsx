/** The latest blocks of a layer, newest first, updated by the live head. */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { useChain } from '../lib/chain-context.tsx'
import { age, integer } from '../lib/format.ts'
import { clientOf, layerName, routesOf } from '../lib/layer.ts'
import { type Layer, latestBlocks, useHead } from '../lib/live.ts'
import { NoL2 } from './NoL2.tsx'
import { ErrorNote, Loading } from './States.tsx'

const PAGE = 20

export function BlockList({ layer }: { layer: Layer }) {
  const state = useChain()
  const client = clientOf(state, layer)
  const queryClient = useQueryClient()
  const head = useHead(layer)
  const blocks = useQuery({
    queryKey: ['block-list', layer, ...state.key, String(head.data?.number)],
    enabled: client !== undefined && head.data?.number != null,
    queryFn: () => latestBlocks(queryClient, client!, state.key, layer, head.data!.number!, PAGE),
    placeholderData: keepPreviousData,
  })
  const routes = routesOf(layer)
  return (
    <section>
      <h1>{layerName(layer)} blocks</h1>
      {!client ? (
        <NoL2 />
      ) : blocks.error || head.error ? (
        <ErrorNote error={blocks.error ?? head.error} />
      ) : !blocks.data ? (
        <Loading what="blocks" />
      ) : (
        <div className="scroll">
          <table className="grid">
            <caption className="visually-hidden">Latest {layerName(layer)} blocks</caption>
            <thead>
              <tr>
                <th scope="col">Block</th>
                <th scope="col">Age</th>
                <th scope="col">Txs</th>
                <th scope="col">Gas used</th>
                {layer === 'l1' && <th scope="col">Blob gas</th>}
              </tr>
            </thead>
            <tbody>
              {blocks.data.map((b) => (
                <tr key={String(b.number)}>
                  <td>
                    <Link to={routes.block} params={{ block: b.number! }}>
                      #{String(b.number)}
                    </Link>
                  </td>
                  <td>{age(b.timestamp)}</td>
                  <td>{b.transactions.length}</td>
                  <td>{integer(b.gasUsed)}</td>
                  {layer === 'l1' && <td>{integer(b.blobGasUsed ?? 0n)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
