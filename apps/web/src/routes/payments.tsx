import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { createFileRoute, Link } from '@tanstack/react-router'
import { NoL2 } from '../components/NoL2.tsx'
import { type Column, QueryTable } from '../components/QueryTable.tsx'
import { useChain } from '../lib/chain-context.tsx'
import { short, units } from '../lib/format.ts'
import { routesOf } from '../lib/layer.ts'
import { type Layer, useHead } from '../lib/live.ts'
import { channelSettlements, exactSettlements, newestFirst, type Settlement } from '../lib/payments.ts'

export const Route = createFileRoute('/payments')({ component: Payments })

function Payments() {
  const { network, l2, key } = useChain()
  const { usd, paymentChannel } = network.manifest.contracts
  const l2Head = useHead('l2')
  const l1Head = useHead('l1')
  const onL2 = useQuery({
    queryKey: ['payments', 'l2', ...key, String(l2Head.data?.number)],
    enabled: l2 !== undefined,
    queryFn: async () => (await exactSettlements(l2!.client, usd)).sort(newestFirst),
    placeholderData: keepPreviousData,
  })
  const onL1 = useQuery({
    queryKey: ['payments', 'l1', String(l1Head.data?.number)],
    queryFn: async () =>
      [...(await exactSettlements(network.l1, usd)), ...(await channelSettlements(network.l1, paymentChannel))].sort(
        newestFirst,
      ),
    placeholderData: keepPreviousData,
  })
  return (
    <section>
      <h1>Payments</h1>
      <p className="muted">
        x402 settlements: <code>exact</code> payments are EIP-3009 transfers of Seed USD, <code>channel</code> payments
        are claims on the payment channel. The paid resource travels in the HTTP exchange, not on chain.
      </p>
      <h2>On the rollup</h2>
      {l2 ? <SettlementTable layer="l2" query={onL2} /> : <NoL2 />}
      <h2>On L1</h2>
      <SettlementTable layer="l1" query={onL1} />
    </section>
  )
}

function SettlementTable({
  layer,
  query,
}: {
  layer: Layer
  query: { data: Settlement[] | undefined; error: Error | null }
}) {
  return (
    <QueryTable
      query={query}
      what="settlements"
      caption={`x402 settlements on ${layer === 'l1' ? 'L1' : 'the rollup'}`}
      empty="No x402 settlement here yet."
      className="payments"
      rowKey={(s) => `${s.txHash}-${s.payer}-${s.amount}`}
      columns={settlementColumns(layer)}
    />
  )
}

function settlementColumns(layer: Layer): Column<Settlement>[] {
  const routes = routesOf(layer)
  const address = (a: Settlement['payer']) => (
    <Link to={routes.address} params={{ address: a }}>
      {short(a)}
    </Link>
  )
  return [
    {
      header: 'Tx',
      className: 'mono',
      cell: (s) => (
        <Link to={routes.tx} params={{ hash: s.txHash }}>
          {short(s.txHash, 12)}
        </Link>
      ),
    },
    { header: 'Scheme', cell: (s) => s.scheme },
    { header: 'Payer', className: 'mono', cell: (s) => address(s.payer) },
    { header: 'Payee', className: 'mono', cell: (s) => address(s.payee) },
    { header: 'Amount', cell: (s) => units(s.amount, 6, 'USD') },
  ]
}
