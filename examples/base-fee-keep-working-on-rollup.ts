/**
 * When the L1 base fee is above X gwei, keep working on my rollup. Give this script a trigger
 * "L1 base fee above (gwei)" in the console: it runs each time the fee rises past the threshold,
 * with the popup closed. While L1 is expensive the agent's routine work (here: paying a
 * collaborator a small fee per job) goes to the agent's own rollup, where a transfer costs almost
 * nothing; run by hand (or when the fee is low) it does the same work on L1.
 *
 * The step that moves funds between L1 and the rollup is the bridge, which arrives with the bridge
 * issue (15); until then the rollup account is funded by whoever funds it today, and this script
 * checks the rollup balance first and says so when it is short.
 */
const THRESHOLD_GWEI = 30
const COLLABORATOR = '0x00000000000000000000000000000000000c0ffe'
const FEE_PER_JOB_WEI = 10_000_000_000_000n // 0.00001 ETH
const JOBS = 3

const fee =
  trigger.kind === 'event' && trigger.event.topic === 'baseFee' ? Number(trigger.event.baseFeeGwei) : undefined
const onRollup = fee !== undefined && fee > THRESHOLD_GWEI
log(fee === undefined ? 'run by hand' : `L1 base fee ${fee} gwei`, '→ working on', onRollup ? 'the rollup' : 'L1')

const balances = await wallet.balances()
if (onRollup && 'error' in balances.rollup) throw new Error(`rollup unreachable: ${balances.rollup.error}`)
const short =
  onRollup && 'eth' in balances.rollup && Number(balances.rollup.eth) < (Number(FEE_PER_JOB_WEI) * JOBS) / 1e18

if (short) log('the rollup account is short of ETH: fund it (the bridge lands with issue 15)')
else {
  const value = `0x${FEE_PER_JOB_WEI.toString(16)}` as const
  const sent = []
  for (let job = 1; job <= JOBS; job++) {
    const calls = [{ to: COLLABORATOR as `0x${string}`, value }]
    const [tx] = await wallet.sendCalls({ chain: onRollup ? 'rollup' : 'l1', calls })
    log(`job ${job}: paid`, tx?.hash)
    sent.push(tx?.hash)
  }
  log('done on', onRollup ? 'the rollup' : 'L1', sent)
}
