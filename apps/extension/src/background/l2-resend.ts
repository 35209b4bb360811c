/**
 * A closed offscreen document takes the rollup Worker's unsealed block with it (the node persists
 * a block after sealing it, up to a second after the tx's soft confirmation). The dApp already has
 * that tx's hash, so the wallet re-sends the journaled signed tx when the document comes back
 * (decision 0420): the same tx, so it can land only once (its nonce), never a second copy.
 */
import { pendingRequests } from './approvals.ts'
import { submitL2Transaction } from './l2.ts'
import { rollupService } from './rollup.ts'

export async function resendUnsealedL2Sends() {
  for (const request of await pendingRequests()) {
    const step = request.execution
    // Approved-but-unfinished requests are resumed by approvals.ts; here only answered ones.
    if (request.status !== 'done' || step?.kind !== 'l2') continue
    if (await rollupService.request('eth_getTransactionReceipt', [step.hash])) continue
    await submitL2Transaction(step).catch(() => {}) // a nonce already used: another tx took it, nothing to do
  }
}
