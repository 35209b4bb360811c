/**
 * Sender recovery for derivation, batch-wide: the decoder hands out each columnar transaction's
 * signing payload and signature (no re-parsing); this thread hashes the payloads and the public
 * keys (WASM keccak, ~1 µs), while the elliptic-curve recovery (the floor: ~40 µs native, ~200 µs
 * WASM) runs in chunks, on other threads where a `RecoverLanes` is given. Results come per chunk,
 * so block i executes as soon as its senders are back while later chunks are still recovering.
 */
import type { Hex } from 'viem'
import type { RollupCrypto } from '../chain/crypto.ts'
import { RECOVER_RECORD, recoverBatch } from '../chain/recover-client.ts'
import type { OnColumnarTx } from '../protocol/codec/columns.ts'
import { bytesToHex } from '../protocol/codec/hex.ts'

/** Records (hash 32 | r 32 | s 32 | recovery id 1) in, 65-byte public keys out (zeros = invalid). */
export type RecoverLanes = { recover(records: Uint8Array): Promise<Uint8Array>; close(): Promise<void> }

/** Senders of one batch by transaction index; `undefined` for RAW txs (recovered at execution). */
export type BatchSenders = {
  /** Resolves to the sender, or `null` if the signature recovers no key (the tx is invalid). */
  sender(index: number): Promise<Hex | null> | undefined
}

export type SenderRecovery = {
  /**
   * Call `collect` as the decoder's `onTx` (full chunks leave at once), then `start()` once decoded.
   * `hold`: chunks wait for `start()` (bytes still being checked: the check gets the cores first, and
   * bytes that fail it cost no recovery).
   */
  begin(options?: { hold?: boolean }): { collect: OnColumnarTx; start(): BatchSenders }
  close(): Promise<void>
}

/** Transactions per chunk: large enough to amortize a thread hop, small enough to pipeline. */
export const RECOVER_CHUNK = 512

export function createSenderRecovery(crypto: RollupCrypto, lanes?: RecoverLanes): SenderRecovery {
  const recoverKeys =
    lanes?.recover.bind(lanes) ??
    (async (records: Uint8Array) => recoverBatch(records, crypto.customCrypto.ecdsaRecover!))
  const toAddress = (pub: Uint8Array): Hex | null =>
    pub[0] === 4 ? bytesToHex(crypto.keccak256(pub.subarray(1)).subarray(12)) : null
  return {
    begin({ hold = false } = {}) {
      const slot = new Map<number, number>() // tx index in the batch → record number
      const chunks: Promise<(Hex | null)[]>[] = []
      let part: Uint8Array[] = []
      const held: Uint8Array[][] = []
      // A chunk leaves as soon as it is full: the workers recover while this thread still decodes.
      const flush = () => {
        if (!part.length) return
        const records = part
        part = []
        if (hold) held.push(records)
        else send(records)
      }
      const send = (records: Uint8Array[]) => {
        const input = new Uint8Array(records.length * RECOVER_RECORD)
        for (const [i, r] of records.entries()) input.set(r, i * RECOVER_RECORD)
        const chunk = recoverKeys(input).then((out) =>
          records.map((_, i) => toAddress(out.subarray(i * 65, i * 65 + 65))),
        )
        chunk.catch(() => {}) // observed by sender(); a batch abandoned early must not crash the process
        chunks.push(chunk)
      }
      const collect: OnColumnarTx = (payload, signature, index) => {
        const record = new Uint8Array(RECOVER_RECORD)
        record.set(crypto.keccak256(payload), 0)
        record.set(signature.r, 32)
        record.set(signature.s, 64)
        record[96] = signature.yParity
        slot.set(index, slot.size)
        part.push(record)
        if (part.length === RECOVER_CHUNK) flush()
      }
      const start = (): BatchSenders => {
        flush()
        for (const records of held.splice(0)) send(records)
        hold = false
        return {
          sender(index) {
            const i = slot.get(index)
            if (i === undefined) return undefined
            return chunks[Math.floor(i / RECOVER_CHUNK)]!.then((a) => a[i % RECOVER_CHUNK]!)
          },
        }
      }
      return { collect, start }
    },
    close: async () => lanes?.close(),
  }
}
