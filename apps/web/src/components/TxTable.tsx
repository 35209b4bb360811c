/** A block's transactions with their decoded method. */
import { Link } from '@tanstack/react-router'
import type { Transaction } from 'viem'
import { decodeCall } from '../lib/decode.ts'
import { eth, short } from '../lib/format.ts'
import { routesOf } from '../lib/layer.ts'
import type { Layer } from '../lib/live.ts'
import { useKnownAbis } from '../lib/use-known-abis.ts'
import { Empty } from './States.tsx'

export function TxTable({ layer, transactions }: { layer: Layer; transactions: readonly Transaction[] }) {
  const abis = useKnownAbis()
  const routes = routesOf(layer)
  if (transactions.length === 0) return <Empty>No transactions in this block.</Empty>
  return (
    <div className="scroll">
      <table className="grid">
        <caption className="visually-hidden">Transactions</caption>
        <thead>
          <tr>
            <th scope="col">Tx</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Method</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {transactions.map((tx) => {
            const call = decodeCall(abis, tx.to, tx.input)
            return (
              <tr key={tx.hash}>
                <td className="mono">
                  <Link to={routes.tx} params={{ hash: tx.hash }}>
                    {short(tx.hash, 12)}
                  </Link>
                </td>
                <td className="mono">
                  <Link to={routes.address} params={{ address: tx.from }}>
                    {short(tx.from)}
                  </Link>
                </td>
                <td className="mono">
                  {tx.to ? (
                    <Link to={routes.address} params={{ address: tx.to }}>
                      {short(tx.to)}
                    </Link>
                  ) : (
                    'create'
                  )}
                </td>
                <td>
                  {call ? `${call.contract}.${call.name}` : tx.input === '0x' ? 'transfer' : tx.input.slice(0, 10)}
                </td>
                <td>{eth(tx.value)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
