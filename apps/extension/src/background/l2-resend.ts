/**
 * A closed offscreen document takes the rollup Worker's unsealed block with it (the node persists
 * a block after sealing it, up to a second after the tx's soft confirmation). The dApp already has
 * that tx's hash, so when the document comes back the wallet re-sends the journaled signed tx
 * (decision 0420) — before any other request reaches the new node, so no new tx can take its
 * nonce; the same tx, so it lands once, never a second copy.
 */
import { pendingRequests } from './approvals.ts'
import type { RollupCall } from './rollup.ts'

export async function resendUnsealedL2Sends(rollup: RollupCall) {
  for (const request of await pendingRequests()) {
    const step = request.execution
    // Approved-but-unfinished requests are resumed by approvals.ts; here only answered ones.
    if (request.status !== 'done' || step?.kind !== 'l2') continue
    if (await rollup('eth_getTransactionReceipt', [step.hash])) continue
    await rollup('eth_sendRawTransaction', [step.raw]).catch(() => {}) // known, or its nonce taken: nothing to do
  }
}
