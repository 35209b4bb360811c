/**
 * A closed offscreen document takes the rollup Worker's unsealed block with it (the node persists
 * a block after sealing it, up to a second after the tx's soft confirmation). The dApp already has
 * that tx's hash, so when the document comes back the wallet re-sends the signed tx (decision 0420)
 * — before any other request reaches the new node, so no new tx can take its nonce; the same tx,
 * so it lands once, never a second copy. Two sources: the wallet's own approved sends (journaled on
 * their request records) and raw txs a dApp signed itself and passed through the wallet.
 */
import type { Hex } from 'viem'
import { pendingRequests } from './approvals.ts'
import type { RollupCall } from './rollup.ts'

/** A passed-through raw tx, kept in chrome.storage.local (survives the worker and the browser). */
type RawSend = { raw: Hex; at: number }
const RAW_PREFIX = 'l2raw:'
/** Far longer than a block takes to seal and persist; after that a receipt or a nonce decides. */
const KEEP_MS = 10 * 60_000
const PRUNE_EVERY = 50
let writesSincePrune = 0

async function journaledRawSends(): Promise<[string, RawSend][]> {
  const all = await chrome.storage.local.get(null)
  return Object.entries(all).filter(([key]) => key.startsWith(RAW_PREFIX)) as [string, RawSend][]
}

async function pruneRawSends(now = Date.now()) {
  const stale = (await journaledRawSends()).filter(([, send]) => now - send.at > KEEP_MS).map(([key]) => key)
  if (stale.length) await chrome.storage.local.remove(stale)
}

/**
 * A dApp's own signed L2 tx: sent to the node, then journaled before the dApp gets its hash, so a
 * hash the dApp holds always has its raw tx stored for the re-send.
 */
export async function sendRawL2Transaction(rollup: RollupCall, raw: Hex): Promise<Hex> {
  const hash = (await rollup('eth_sendRawTransaction', [raw])) as Hex
  await chrome.storage.local.set({ [`${RAW_PREFIX}${hash}`]: { raw, at: Date.now() } satisfies RawSend })
  if (++writesSincePrune >= PRUNE_EVERY) {
    writesSincePrune = 0
    await pruneRawSends()
  }
  return hash
}

export async function resendUnsealedL2Sends(rollup: RollupCall) {
  const lost: { hash: Hex; raw: Hex }[] = []
  for (const request of await pendingRequests()) {
    const step = request.execution
    // Approved-but-unfinished requests are resumed by approvals.ts; here only answered ones.
    if (request.status === 'done' && step?.kind === 'l2') lost.push(step)
  }
  await pruneRawSends()
  for (const [key, send] of await journaledRawSends())
    lost.push({ hash: key.slice(RAW_PREFIX.length) as Hex, raw: send.raw })
  // Any order: a tx whose predecessor is re-sent after it waits in the node's mempool (future nonce).
  for (const { hash, raw } of lost) {
    if (await rollup('eth_getTransactionReceipt', [hash])) continue
    await rollup('eth_sendRawTransaction', [raw]).catch(() => {}) // known, or its nonce taken: nothing to do
  }
}
