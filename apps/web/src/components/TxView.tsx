import { useQuery } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { formatGwei, type Hash, TransactionNotFoundError } from 'viem'
import { useChain } from '../lib/chain-context.tsx'
import { decodeCall, decodeLog } from '../lib/decode.ts'
import { eth, integer } from '../lib/format.ts'
import { clientOf, layerName, routesOf } from '../lib/layer.ts'
import type { Layer } from '../lib/live.ts'
import { useKnownAbis } from '../lib/use-known-abis.ts'
import { Decoded } from './Decoded.tsx'
import { NoL2 } from './NoL2.tsx'
import { NotFound } from './NotFound.tsx'
import { Empty, ErrorNote, Loading } from './States.tsx'

export function TxView({ layer, hash }: { layer: Layer; hash: Hash }) {
  const state = useChain()
  const abis = useKnownAbis()
  const client = clientOf(state, layer)
  const query = useQuery({
    queryKey: ['tx', layer, ...state.key, hash],
    enabled: client !== undefined,
    queryFn: async () => {
      try {
        const tx = await client!.getTransaction({ hash })
        const receipt = tx.blockNumber === null ? undefined : await client!.getTransactionReceipt({ hash })
        return { tx, receipt }
      } catch (error) {
        if (error instanceof TransactionNotFoundError) return null
        throw error
      }
    },
    // Pending until mined: asked again every few seconds until it has a receipt.
    refetchInterval: (q) => (q.state.data && !q.state.data.receipt ? 3000 : false),
  })
  if (!client) return <NoL2 />
  if (query.error) return <ErrorNote error={query.error} />
  if (query.data === undefined) return <Loading what="the transaction" />
  if (query.data === null) return <NotFound what={`No transaction ${hash} on this ${layerName(layer)} chain.`} />
  const { tx, receipt } = query.data
  const call = decodeCall(abis, tx.to, tx.input)
  const routes = routesOf(layer)
  return (
    <section>
      <h1>{layerName(layer)} transaction</h1>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">Hash</th>
            <td className="mono">{tx.hash}</td>
          </tr>
          <tr>
            <th scope="row">Status</th>
            <td>{receipt ? receipt.status : 'pending'}</td>
          </tr>
          <tr>
            <th scope="row">Block</th>
            <td>
              {tx.blockNumber === null ? (
                'pending'
              ) : (
                <Link to={routes.block} params={{ block: tx.blockNumber }}>
                  #{String(tx.blockNumber)}
                </Link>
              )}
            </td>
          </tr>
          <tr>
            <th scope="row">From</th>
            <td className="mono">
              <Link to={routes.address} params={{ address: tx.from }}>
                {tx.from}
              </Link>
            </td>
          </tr>
          <tr>
            <th scope="row">To</th>
            <td className="mono">
              {tx.to ? (
                <Link to={routes.address} params={{ address: tx.to }}>
                  {tx.to}
                </Link>
              ) : (
                `contract creation${receipt?.contractAddress ? `: ${receipt.contractAddress}` : ''}`
              )}
            </td>
          </tr>
          <tr>
            <th scope="row">Value</th>
            <td>{eth(tx.value)}</td>
          </tr>
          <tr>
            <th scope="row">Type</th>
            <td>{tx.type}</td>
          </tr>
          {receipt && (
            <tr>
              <th scope="row">Gas used</th>
              <td>
                {integer(receipt.gasUsed)} at {formatGwei(receipt.effectiveGasPrice)} gwei
                {receipt.blobGasUsed ? ` · blob gas ${integer(receipt.blobGasUsed)}` : ''}
              </td>
            </tr>
          )}
          {tx.blobVersionedHashes?.length ? (
            <tr>
              <th scope="row">Blob versioned hashes</th>
              <td className="mono">
                {tx.blobVersionedHashes.map((h) => (
                  <div key={h}>{h}</div>
                ))}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <h2>Call</h2>
      {call ? (
        <Decoded decoded={call} layer={layer} />
      ) : tx.input === '0x' ? (
        <Empty>A plain value transfer: no call data.</Empty>
      ) : (
        <p className="mono wrap">{tx.input.length > 2000 ? `${tx.input.slice(0, 2000)}…` : tx.input}</p>
      )}
      <h2>Logs</h2>
      {!receipt ? (
        <Empty>Logs appear once the transaction is in a block.</Empty>
      ) : receipt.logs.length === 0 ? (
        <Empty>This transaction emitted no logs.</Empty>
      ) : (
        <ol className="logs">
          {receipt.logs.map((log) => {
            const decoded = decodeLog(abis, log)
            return (
              <li key={log.logIndex}>
                <span className="mono">{log.address}</span>
                {decoded ? <Decoded decoded={decoded} layer={layer} /> : <p className="mono wrap">{log.topics[0]}</p>}
              </li>
            )
          })}
        </ol>
      )}
    </section>
  )
}
