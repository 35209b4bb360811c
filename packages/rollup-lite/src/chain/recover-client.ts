/**
 * Batched sender recovery on other threads (Node worker_threads or browser Workers): this thread
 * only hashes the signing payload; records go out in small batches and 65-byte public keys come
 * back in order. Record: hash 32 | r 32 | s 32 | recovery id 1.
 */
import { Capability, type TypedTransaction } from '@ethereumjs/tx'
import { Address } from '@ethereumjs/util'
import type { SenderRecoverer } from '../protocol/tx-validity.ts'

export const RECOVER_RECORD = 97
/** Records a full batch holds (a caller may choose more: `createBatchedRecoverer`'s `maxBatch`). */
const MAX_BATCH = 32
/**
 * Batches a recovery thread holds before a partial batch waits: one being recovered and one behind
 * it. Txs that arrive while every lane is that busy wait on this thread and go out together when a
 * batch returns, so sends that arrive one message each (a Worker's comlink calls) still cross in
 * batches instead of paying a postMessage and a thread wake-up per tx on both sides. An idle lane
 * gets a tx at once (no added latency).
 */
const MAX_IN_FLIGHT = 2
const SECP256K1_N_DIV_2 = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n

/** One recovery thread: posts a batch, calls back with its public keys (zeros = invalid). */
export type RecoverPort = {
  post(input: Uint8Array): void
  onResult(listener: (output: Uint8Array) => void): void
  close(): Promise<void> | void
}

type Pending = { tx: TypedTransaction; resolve: (a: Address | undefined) => void }

export function recoveryId(tx: TypedTransaction): number | undefined {
  const v = tx.v as bigint
  if (v === 0n || v === 1n) return Number(v)
  const chainId = tx.supports(Capability.EIP155ReplayProtection) ? tx.common.chainId() : undefined
  const id = chainId === undefined ? v - 27n : v - (chainId * 2n + 35n)
  return id === 0n || id === 1n ? Number(id) : undefined
}

export function createBatchedRecoverer(
  ports: RecoverPort[],
  keccak256: (b: Uint8Array) => Uint8Array,
  { maxBatch = MAX_BATCH } = {},
): SenderRecoverer {
  const queue: Pending[] = []
  let scheduled = false
  const lanes = ports.map((port) => {
    const inFlight: Pending[][] = []
    port.onResult((out) => {
      const batch = inFlight.shift() ?? []
      batch.forEach((p, i) => {
        const pub = out.subarray(i * 65, i * 65 + 65)
        p.resolve(pub[0] === 4 ? new Address(keccak256(pub.subarray(1)).slice(12)) : undefined)
      })
      if (queue.length > 0) flush()
    })
    return { port, inFlight }
  })
  type Lane = (typeof lanes)[number]

  const post = (lane: Lane, batch: Pending[]) => {
    const input = new Uint8Array(batch.length * RECOVER_RECORD)
    const words = new DataView(input.buffer)
    batch.forEach((p, i) => {
      const at = i * RECOVER_RECORD
      input.set(p.tx.getMessageToVerifySignature(), at)
      writeWord(words, at + 32, p.tx.r as bigint)
      writeWord(words, at + 64, p.tx.s as bigint)
      input[at + 96] = recoveryId(p.tx) ?? 0
    })
    lane.inFlight.push(batch)
    lane.port.post(input)
  }

  const leastLoaded = (): Lane =>
    lanes.reduce((best, lane) => (lane.inFlight.length < best.inFlight.length ? lane : best), lanes[0] as Lane)

  const flush = () => {
    scheduled = false
    // Full batches go out at once and stream back while this thread admits and executes the
    // previous ones; a partial one only to a lane with room (otherwise a returning batch flushes it).
    while (queue.length >= maxBatch) post(leastLoaded(), queue.splice(0, maxBatch))
    const lane = leastLoaded()
    if (queue.length > 0 && lane.inFlight.length < MAX_IN_FLIGHT) post(lane, queue.splice(0))
  }

  return {
    recover(tx) {
      // Same validity rules as ethereumjs: low-s and a well-formed v.
      if ((tx.s as bigint) > SECP256K1_N_DIV_2 || recoveryId(tx) === undefined) return Promise.resolve(undefined)
      return new Promise((resolve) => {
        queue.push({ tx, resolve })
        if (!scheduled) {
          scheduled = true
          queueMicrotask(flush)
        }
      })
    },
    async close() {
      await Promise.all(lanes.map((l) => l.port.close()))
    },
  }
}

/** Writes a 256-bit value big-endian at `at` (no hex string and padded copy per signature half). */
function writeWord(words: DataView, at: number, value: bigint) {
  for (let i = 24; i >= 0; i -= 8) {
    words.setBigUint64(at + i, BigInt.asUintN(64, value))
    value >>= 64n
  }
}

/** Recovers one batch with a `recover(signature64, recId, hash) → 65-byte key` function. */
export function recoverBatch(
  input: Uint8Array,
  recover: (sig: Uint8Array, recId: number, hash: Uint8Array) => Uint8Array,
): Uint8Array {
  const n = input.length / RECOVER_RECORD
  const out = new Uint8Array(n * 65)
  for (let i = 0; i < n; i++) {
    const at = i * RECOVER_RECORD
    try {
      out.set(recover(input.subarray(at + 32, at + 96), input[at + 96] as number, input.subarray(at, at + 32)), i * 65)
    } catch {}
  }
  return out
}
