import { useQuery } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { BlockNotFoundError } from 'viem'
import { useChain } from '../lib/chain-context.tsx'
import { age, integer } from '../lib/format.ts'
import { clientOf, layerName, routesOf } from '../lib/layer.ts'
import { blockQuery, type Layer, useHead } from '../lib/live.ts'
import { NoL2 } from './NoL2.tsx'
import { NotFound } from './NotFound.tsx'
import { ErrorNote, Loading } from './States.tsx'
import { TxTable } from './TxTable.tsx'

export function BlockView({ layer, block }: { layer: Layer; block: bigint }) {
  const state = useChain()
  const client = clientOf(state, layer)
  const head = useHead(layer)
  const headNumber = head.data?.number
  // Past the head it may still come: asked again when the head moves.
  const past = headNumber != null && block > headNumber
  const query = useQuery({
    ...(client ? blockQuery(client, state.key, layer, block) : { queryKey: ['block', 'none'] }),
    enabled: client !== undefined && !past,
    retry: (count, error) => !(error instanceof BlockNotFoundError) && count < 1,
  })
  if (!client) return <NoL2 />
  if (past || query.error instanceof BlockNotFoundError) {
    return <NotFound what={`Block #${block} does not exist yet: this chain's head is #${headNumber ?? '?'}.`} />
  }
  if (query.error) return <ErrorNote error={query.error} />
  if (!query.data) return <Loading what={`block #${block}`} />
  const b = query.data
  const routes = routesOf(layer)
  return (
    <section>
      <h1>
        {layerName(layer)} block #{String(b.number)}
      </h1>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">Hash</th>
            <td className="mono">{b.hash}</td>
          </tr>
          <tr>
            <th scope="row">Parent</th>
            <td className="mono">
              {b.number! > 0n ? (
                <Link to={routes.block} params={{ block: b.number! - 1n }}>
                  {b.parentHash}
                </Link>
              ) : (
                b.parentHash
              )}
            </td>
          </tr>
          <tr>
            <th scope="row">Time</th>
            <td>
              {new Date(Number(b.timestamp) * 1000).toISOString()} ({age(b.timestamp)})
            </td>
          </tr>
          <tr>
            <th scope="row">State root</th>
            <td className="mono">{b.stateRoot}</td>
          </tr>
          <tr>
            <th scope="row">Gas used</th>
            <td>
              {integer(b.gasUsed)} of {integer(b.gasLimit)}
              {b.blobGasUsed ? ` · blob gas ${integer(b.blobGasUsed)}` : ''}
            </td>
          </tr>
        </tbody>
      </table>
      <h2>Transactions</h2>
      <TxTable layer={layer} transactions={b.transactions} />
    </section>
  )
}
