/**
 * A closed offscreen document takes the rollup Worker's unsealed block with it (the node persists
 * a block after sealing it, up to a second after the tx's soft confirmation). The dApp already has
 * that tx's hash, so when the document comes back the wallet re-sends the signed tx (decision 0420)
 * — before any other request reaches the new node, so no new tx can take its nonce; the same tx,
 * so it lands once, never a second copy. Two sources: the wallet's own approved sends (journaled on
 * their request records) and raw txs a dApp signed itself and passed through the wallet.
 */
import { type Hex, size } from 'viem'
import { invalidParams } from '../../core/errors.ts'
import { type RawL2Send, stored } from '../../core/storage.ts'
import { pendingRequests } from '../approvals/approvals.ts'
import type { RollupCall } from '../rollup/rollup.ts'

/** Far longer than a block takes to seal and persist; after that a receipt or a nonce decides. */
const KEEP_MS = 10 * 60_000
/**
 * Per origin, so no page can fill chrome.storage.local: the newest sends are kept (the oldest,
 * long sealed in all but a flood, are dropped first). 128 KiB is also the largest tx geth accepts.
 */
export const JOURNAL_LIMITS = { sends: 64, bytes: 256 * 1024, txBytes: 128 * 1024 }

/** The origin's journal with `send` added, within the limits: expired and then the oldest sends go. */
export function boundedJournal(journal: RawL2Send[], send: RawL2Send, limits = JOURNAL_LIMITS): RawL2Send[] {
  const kept = [...journal.filter((s) => send.at - s.at <= KEEP_MS && s.hash !== send.hash), send]
  let bytes = kept.reduce((sum, s) => sum + size(s.raw), 0)
  while (kept.length > limits.sends || bytes > limits.bytes) bytes -= size(kept.shift()!.raw)
  return kept
}

/** One journal update at a time in this worker: concurrent sends from a page must not drop each other. */
let journalWrites: Promise<unknown> = Promise.resolve()

async function journalRawSend(origin: string, send: RawL2Send) {
  const write_ = journalWrites.then(async () => {
    const all = await stored.rawL2Sends.get()
    all[origin] = boundedJournal(all[origin] ?? [], send)
    await stored.rawL2Sends.set(all)
  })
  journalWrites = write_.catch(() => {})
  await write_
}

/**
 * A dApp's own signed L2 tx: sent to the node, then journaled before the dApp gets its hash, so a
 * hash the dApp holds always has its raw tx stored for the re-send (while the origin's journal is
 * within its bounds). A tx too large for any node is refused before it is sent.
 */
export async function sendRawL2Transaction(rollup: RollupCall, origin: string, raw: Hex): Promise<Hex> {
  if (size(raw) > JOURNAL_LIMITS.txBytes)
    throw invalidParams(`eth_sendRawTransaction: a transaction is at most ${JOURNAL_LIMITS.txBytes} bytes`)
  const hash = (await rollup('eth_sendRawTransaction', [raw])) as Hex
  await journalRawSend(origin, { hash, raw, at: Date.now() })
  return hash
}

export async function resendUnsealedL2Sends(rollup: RollupCall) {
  const lost: { hash: Hex; raw: Hex }[] = []
  for (const request of await pendingRequests()) {
    const step = request.execution
    // Approved-but-unfinished requests are resumed by approvals.ts; here only answered ones.
    if (request.status === 'done' && step?.kind === 'l2') lost.push(step)
  }
  const now = Date.now()
  for (const sends of Object.values(await stored.rawL2Sends.get()))
    for (const { hash, raw, at } of sends) if (now - at <= KEEP_MS) lost.push({ hash, raw })
  // Any order: a tx whose predecessor is re-sent after it waits in the node's mempool (future nonce).
  for (const { hash, raw } of lost) {
    if (await rollup('eth_getTransactionReceipt', [hash])) continue
    await rollup('eth_sendRawTransaction', [raw]).catch(() => {}) // known, or its nonce taken: nothing to do
  }
}
