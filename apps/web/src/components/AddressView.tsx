import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { type Address, erc20Abi, type PublicClient, size } from 'viem'
import { useChain } from '../lib/chain-context.tsx'
import { eth, short, units } from '../lib/format.ts'
import { clientOf, layerName, routesOf } from '../lib/layer.ts'
import { type Layer, latestBlocks, useHead } from '../lib/live.ts'
import { inWindows } from '../lib/logs.ts'
import { knownTokens } from '../lib/tokens.ts'
import { NoL2 } from './NoL2.tsx'
import { Empty, ErrorNote, Loading, QueryView } from './States.tsx'

/** Symbol, decimals and the balance of `owner`; undefined where the token has no code on this chain. */
async function tokenBalance(client: PublicClient, token: Address, owner: Address) {
  const code = await client.getCode({ address: token })
  if (!code || size(code) === 0) return undefined
  const [symbol, decimals, balance] = await Promise.all([
    client.readContract({ address: token, abi: erc20Abi, functionName: 'symbol' }),
    client.readContract({ address: token, abi: erc20Abi, functionName: 'decimals' }),
    client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [owner] }),
  ])
  return { token, symbol, decimals, balance }
}

/** Known-token transfers from or to `owner`, newest first. */
async function tokenHistory(client: PublicClient, tokens: Address[], owner: Address) {
  const [sent, received] = await Promise.all(
    (['from', 'to'] as const).map((side) =>
      inWindows(client, (range) =>
        client.getContractEvents({
          address: tokens,
          abi: erc20Abi,
          eventName: 'Transfer',
          args: { [side]: owner },
          ...range,
          strict: true,
        }),
      ),
    ),
  )
  return [...sent!, ...received!].sort((a, b) =>
    a.blockNumber === b.blockNumber ? b.logIndex - a.logIndex : a.blockNumber < b.blockNumber ? 1 : -1,
  )
}

/** Blocks an address page reads for plain ETH transfers: nodes keep no index by address, a page is not one. */
export const ETH_HISTORY_BLOCKS = 256

/** Transactions from or to `owner` that moved ETH, in the last ETH_HISTORY_BLOCKS blocks, newest first. */
function ethTransfers(blocks: Awaited<ReturnType<typeof latestBlocks>>, owner: Address) {
  const mine = (a: Address | null) => a !== null && a.toLowerCase() === owner.toLowerCase()
  return blocks.flatMap((block) =>
    block.transactions
      .filter((tx) => tx.value > 0n && (mine(tx.from) || mine(tx.to)))
      .map((tx) => ({ hash: tx.hash, block: block.number!, from: tx.from, to: tx.to, value: tx.value })),
  )
}

export function AddressView({ layer, address }: { layer: Layer; address: Address }) {
  const state = useChain()
  const client = clientOf(state, layer)
  const head = useHead(layer)
  const tokens = knownTokens(state.network.manifest, layer)
  const at = String(head.data?.number)
  const account = useQuery({
    queryKey: ['address', layer, ...state.key, address, at],
    enabled: client !== undefined,
    queryFn: async () => {
      const [balance, code, nonce] = await Promise.all([
        client!.getBalance({ address }),
        client!.getCode({ address }),
        client!.getTransactionCount({ address }),
      ])
      const balances = await Promise.all(tokens.map((t) => tokenBalance(client!, t, address)))
      return { balance, codeSize: code ? size(code) : 0, nonce, balances: balances.filter((b) => b !== undefined) }
    },
    placeholderData: (previous) => previous,
  })
  const history = useQuery({
    queryKey: ['address-history', layer, ...state.key, address, at],
    enabled: client !== undefined,
    queryFn: () => tokenHistory(client!, tokens, address),
    placeholderData: (previous) => previous,
  })
  const queryClient = useQueryClient()
  const transfers = useQuery({
    queryKey: ['address-eth', layer, ...state.key, address, at],
    enabled: client !== undefined && head.data?.number != null,
    queryFn: async () =>
      ethTransfers(
        await latestBlocks(queryClient, client!, state.key, layer, head.data!.number!, ETH_HISTORY_BLOCKS),
        address,
      ),
    placeholderData: (previous) => previous,
  })
  if (!client) return <NoL2 />
  const routes = routesOf(layer)
  return (
    <section>
      <h1>
        {layerName(layer)} address <span className="mono wrap">{address}</span>
      </h1>
      <QueryView query={account} what="the account">
        {(a) => (
          <table className="kv">
            <tbody>
              <tr>
                <th scope="row">Balance</th>
                <td>{eth(a.balance)}</td>
              </tr>
              <tr>
                <th scope="row">Kind</th>
                <td>{a.codeSize > 0 ? `contract (${a.codeSize} bytes of code)` : 'account (no code)'}</td>
              </tr>
              <tr>
                <th scope="row">Transactions sent</th>
                <td>{a.nonce}</td>
              </tr>
              {a.balances.map((t) => (
                <tr key={t.token}>
                  <th scope="row">{t.symbol} balance</th>
                  <td>{units(t.balance, t.decimals, t.symbol)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryView>
      <h2>ETH transfers</h2>
      {transfers.error ? (
        <ErrorNote error={transfers.error} />
      ) : !transfers.data ? (
        <Loading what="ETH transfers" />
      ) : transfers.data.length === 0 ? (
        <Empty>No ETH moved from or to this address in the last {ETH_HISTORY_BLOCKS} blocks.</Empty>
      ) : (
        <div className="scroll">
          <table className="grid eth-transfers">
            <caption className="visually-hidden">ETH transfers in the last {ETH_HISTORY_BLOCKS} blocks</caption>
            <thead>
              <tr>
                <th scope="col">Tx</th>
                <th scope="col">Block</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {transfers.data.map((t) => (
                <tr key={t.hash}>
                  <td className="mono">
                    <Link to={routes.tx} params={{ hash: t.hash }}>
                      {short(t.hash, 12)}
                    </Link>
                  </td>
                  <td>#{String(t.block)}</td>
                  <td className="mono">{short(t.from)}</td>
                  <td className="mono">{t.to ? short(t.to) : 'contract creation'}</td>
                  <td>{eth(t.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">
        Plain ETH transfers of the last {ETH_HISTORY_BLOCKS} blocks: nodes keep no history by address.
      </p>
      <h2>Token transfers</h2>
      {history.error ? (
        <ErrorNote error={history.error} />
      ) : !history.data ? (
        <Loading what="the history" />
      ) : history.data.length === 0 ? (
        <Empty>No transfers of known tokens from or to this address.</Empty>
      ) : (
        <div className="scroll">
          <table className="grid token-transfers">
            <caption className="visually-hidden">Token transfers</caption>
            <thead>
              <tr>
                <th scope="col">Tx</th>
                <th scope="col">Block</th>
                <th scope="col">Token</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Amount (base units)</th>
              </tr>
            </thead>
            <tbody>
              {history.data.map((log) => (
                <tr key={`${log.transactionHash}-${log.logIndex}`}>
                  <td className="mono">
                    <Link to={routes.tx} params={{ hash: log.transactionHash }}>
                      {short(log.transactionHash, 12)}
                    </Link>
                  </td>
                  <td>#{String(log.blockNumber)}</td>
                  <td className="mono">{short(log.address)}</td>
                  <td className="mono">{short(log.args.from)}</td>
                  <td className="mono">{short(log.args.to)}</td>
                  <td>{log.args.value.toString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
