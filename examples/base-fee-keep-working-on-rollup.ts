/**
 * When the L1 base fee is above X gwei, deposit to my rollup and continue there. Give this script a trigger
 * "L1 base fee above (gwei)" in the console: it runs each time the fee rises past the threshold, with the
 * popup closed. While L1 is expensive the agent's routine work (here: paying a collaborator a small fee per
 * job) moves to the agent's own rollup, where a transfer costs almost nothing: if the rollup account is short,
 * the script first deposits from the smart account through the bridge (one L1 send, under the policy) and waits
 * for the deposit to arrive. Run by hand (or when the fee is low) it does the same work on L1.
 */
const THRESHOLD_GWEI = 30
const COLLABORATOR = '0x00000000000000000000000000000000000c0ffe'
const FEE_PER_JOB_WEI = 10_000_000_000_000n // 0.00001 ETH
const JOBS = 3
/** What one deposit moves to the rollup: enough for many runs, so L1 is paid once, not per job. */
const DEPOSIT_ETH = '0.01'
const DEPOSIT_WAIT_MS = 120_000

const fee =
  trigger.kind === 'event' && trigger.event.topic === 'baseFee' ? Number(trigger.event.baseFeeGwei) : undefined
const onRollup = fee !== undefined && fee > THRESHOLD_GWEI
log(fee === undefined ? 'run by hand' : `L1 base fee ${fee} gwei`, '→ working on', onRollup ? 'the rollup' : 'L1')

const rollupEth = async () => {
  const { rollup } = await wallet.balances()
  if ('error' in rollup) throw new Error(`rollup unreachable: ${rollup.error}`)
  return Number(rollup.eth)
}
const needed = (Number(FEE_PER_JOB_WEI) * JOBS) / 1e18

if (onRollup && (await rollupEth()) < needed) {
  const before = await rollupEth()
  const deposit = await bridge.deposit({ asset: 'eth', amount: DEPOSIT_ETH })
  log('rollup account short: deposited', DEPOSIT_ETH, 'ETH from L1 in', deposit.hash)
  const deadline = Date.now() + DEPOSIT_WAIT_MS
  while ((await rollupEth()) <= before) {
    if (Date.now() > deadline) throw new Error('the deposit has not reached the rollup yet: the next run continues')
    await sleep(2_000)
  }
  log('the deposit arrived on the rollup')
}

const value = `0x${FEE_PER_JOB_WEI.toString(16)}` as const
const sent = []
for (let job = 1; job <= JOBS; job++) {
  const calls = [{ to: COLLABORATOR as `0x${string}`, value }]
  const [tx] = await wallet.sendCalls({ chain: onRollup ? 'rollup' : 'l1', calls })
  log(`job ${job}: paid`, tx?.hash)
  sent.push(tx?.hash)
}
log('done on', onRollup ? 'the rollup' : 'L1', sent)
