/**
 * A verify slot's windows (decision 0802): every epoch of the bounty, the batches the wallet posted since the
 * previous window (at most MAX_VERIFY_WINDOW) become the next window. The window is written in the slot record
 * BEFORE its validation request is filed, so a restarted worker asks that same window, and the request itself is
 * idempotent on chain (`requestWindowValidation` reads the registry first) and sent as the payer's journaled op
 * (bounty-op.ts): a window is never filed twice. It is judged once: paid when the verifier's response is on
 * chain and its probe passes, dropped on a miss; the next window starts after it either way.
 */
import { type Bounty, BountyError } from '@seed/contracts'
import { MAX_VERIFY_WINDOW, requestWindowValidation, type VerifyWindow } from '@seed/operator/payer'
import { readInboxHead } from '@seed/rollup-lite'
import type { Account, Address, Chain, Client, Transport } from 'viem'
import type { BountySlotRecord } from '../../core/records.ts'
import { agentsOwnedBy } from '../agents/discovery.ts'
import { activeRegistries } from '../agents/registries.ts'
import type { SlotUpdate } from './slot-records.ts'

/** The slot's window to probe, asked of its operator; undefined when no batch was posted since the last one. */
export async function verifyWindow(
  client: Client<Transport, Chain, Account>,
  p: { bounty: Bounty; slot: BountySlotRecord; account: Address; update: SlotUpdate },
): Promise<VerifyWindow | undefined> {
  let state = p.slot.verify
  if (!state?.window) {
    const { count } = await readInboxHead(client, p.bounty.inbox)
    // The first window starts with the batches posted after the payer first saw the slot.
    const from = BigInt(state?.nextBatch ?? count)
    const to = count - 1n < from + MAX_VERIFY_WINDOW - 1n ? count - 1n : from + MAX_VERIFY_WINDOW - 1n
    state = { nextBatch: String(from), ...(to >= from && { window: { fromBatch: String(from), toBatch: String(to) } }) }
    const written = state
    if (!p.slot.verify || written.window) await p.update((s) => ({ ...s, verify: written })) // else: nothing new
  }
  const window = state.window
  if (!window) return undefined
  const asked = { fromBatch: BigInt(window.fromBatch), toBatch: BigInt(window.toBatch) }
  if (window.requestedAt === undefined) {
    const { validation } = await activeRegistries()
    await requestWindowValidation(client, {
      ...asked,
      inbox: p.bounty.inbox,
      posterAgentId: await ownAgentId(p.account),
      operator: p.slot.operator,
      validation,
    })
    const requestedAt = Date.now()
    await p.update((s) => ({ ...s, verify: { ...state, window: { ...window, requestedAt } } }))
  }
  return asked
}

/** The window's name in the voucher journal: what its voucher pays for, once. */
export const windowName = (w: VerifyWindow) => `${w.fromBatch}-${w.toBatch}`

/** The window was judged (paid or missed): the next one starts after it. */
export function closeWindow(slot: BountySlotRecord, judged: VerifyWindow): BountySlotRecord {
  const open = slot.verify?.window
  if (!open || windowName({ fromBatch: BigInt(open.fromBatch), toBatch: BigInt(open.toBatch) }) !== windowName(judged))
    return slot
  return { ...slot, verify: { nextBatch: String(judged.toBatch + 1n) } }
}

/**
 * The verifier answers on chain once it re-derived the window: until one epoch after the request, a missing
 * response is awaited, not a miss (the probe itself refuses a response given after the window's challenges closed).
 */
export const awaitingResponse = (slot: BountySlotRecord, bounty: Bounty, now: number) => {
  const requestedAt = slot.verify?.window?.requestedAt
  return requestedAt !== undefined && now - requestedAt < Number(bounty.epochLength) * 1000
}

/** The poster of the window's outputs: the wallet's own ERC-8004 agent (Agents screen, `agents.register`). */
async function ownAgentId(account: Address): Promise<bigint> {
  const [own] = await agentsOwnedBy(account)
  if (!own)
    throw new BountyError('a verify bounty asks for validations as the wallet’s agent: register it first (Agents)')
  return BigInt(own.agentId)
}
