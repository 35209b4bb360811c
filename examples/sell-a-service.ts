/**
 * Sell a service through x402: the wallet side of a pay-per-job service. A script cannot listen on
 * a port (the sandbox has no network but the capability API), so the HTTP side — answering 402 with
 * the price and checking the payment — is the @seed/x402 seller kit (packages/x402), run next to
 * the agent, whose payTo is this wallet's rollup account. This script is the part that lives in the
 * wallet: give it an "Incoming payment" trigger, and each payment that lands on the rollup account
 * is matched to a job and the job's result is recorded on the rollup, for the buyer to read.
 */
const PRICE_WEI = 1_000_000_000_000n // what the seller kit asks per job (0.000001 ETH)
const JOB_LOG = '0x00000000000000000000000000000000000005e1' // where results are recorded (a contract of yours)

if (trigger.kind !== 'event' || trigger.event.topic !== 'incomingPayment') {
  const { rollupAccount } = await wallet.addresses()
  log(
    'waiting for payments to',
    rollupAccount,
    'at',
    PRICE_WEI.toString(),
    'wei per job: give this script an "Incoming payment" trigger',
  )
} else if (trigger.event.chain !== 'rollup' || trigger.event.asset !== 'eth') {
  log('not a rollup ETH payment, ignored:', trigger.event)
} else {
  const paidWei = BigInt(Math.round(Number(trigger.event.amount) * 1e18))
  const jobs = paidWei / PRICE_WEI
  log('received', trigger.event.amount, 'ETH →', jobs.toString(), 'job(s)')
  const results = []
  for (let job = 0n; job < jobs; job++) {
    // The service itself: here, the rollup's head number, recorded on the rollup as the job's receipt.
    const status = await rollup.status()
    const result = `0x${status.head.toString(16).padStart(64, '0')}` as const
    const sent = await rollup.send({ to: JOB_LOG, data: result })
    results.push(sent.hash)
  }
  log('delivered', results.length, 'job(s):', results)
}
