/** The activity list (user ops, L2 txs, signatures), newest first, persisted. */
import type { Hex } from 'viem'
import type { PendingRequest } from '../../core/protocol.ts'
import type { ActivityItem } from '../../core/storage.ts'
import { stored } from '../../core/storage.ts'
import { rollupService } from '../rollup/rollup.ts'

const MAX_ITEMS = 100

export async function recordActivity(item: Omit<ActivityItem, 'id' | 'at'>) {
  const list = await stored.activity.get()
  const entry: ActivityItem = { ...item, id: crypto.randomUUID(), at: Date.now() }
  await stored.activity.set([entry, ...list].slice(0, MAX_ITEMS))
  return entry
}

/** A refusal goes to the activity list like anything else the wallet did for a site. */
export async function recordRefusal(request: Pick<PendingRequest, 'origin' | 'chainId' | 'method'>, error: Error) {
  await recordActivity({
    kind: request.method.includes('sign') ? 'signature' : 'userOp',
    origin: request.origin,
    chainId: request.chainId,
    summary: `Refused ${request.method}: ${error.message}`,
    status: 'failed',
  })
}

/** Marks pending L2 transactions whose receipt the rollup now has. */
export async function settleL2Activity() {
  const list = await stored.activity.get()
  const pending = list.filter((item) => item.kind === 'l2Tx' && item.status === 'pending' && item.hash)
  if (!pending.length) return
  let changed = false
  for (const item of pending) {
    try {
      const receipt = (await rollupService.request('eth_getTransactionReceipt', [item.hash])) as { status: Hex } | null
      if (!receipt) continue
      item.status = receipt.status === '0x1' ? 'success' : 'failed'
      changed = true
    } catch {
      return // rollup not reachable right now: try again next time
    }
  }
  if (changed) await stored.activity.set(list)
}

export async function listActivity() {
  return await stored.activity.get()
}
