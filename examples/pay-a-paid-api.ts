/**
 * Pay a paid API (x402). Fetches a resource that answers 402 Payment Required; the wallet pays it
 * from the smart account on L1 or from the rollup account (whichever network the 402 accepts),
 * under the wallet's policy, and the receipt lands in Activity. Set PAID_URL to a paid endpoint,
 * e.g. one sold with the @seed/x402 seller kit on the devnet.
 */
const PAID_URL = 'http://127.0.0.1:4021/weather'

const before = await policy.get()
log('spent today before:', before.wallet.spentTodayEth, 'ETH,', before.wallet.spentTodayUsd, 'USDS')

const response = await x402.fetch(PAID_URL, { headers: { accept: 'application/json' } })
if (response.status !== 200) throw new Error(`${PAID_URL} answered ${response.status}: ${response.body.slice(0, 200)}`)
if (response.payment)
  log('paid', response.payment.amount, 'on', response.payment.network, 'tx', response.payment.transaction)
log('resource:', response.body.slice(0, 500))
log('receipt:', response.payment ?? 'nothing to pay')
