/**
 * Sender recovery on worker threads (libsecp256k1 binding), batched: the executing thread only
 * hashes the signing payload; recovery (~0.25 ms/tx) overlaps with execution.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { Capability, type TypedTransaction } from '@ethereumjs/tx'
import { type Address, bigIntToBytes, createAddressFromPublicKey, setLengthLeft } from '@ethereumjs/util'
import type { SenderRecoverer } from '../sequencer/admit.ts'

const SECP256K1_N_DIV_2 = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n
const RECORD = 97 // hash 32 + signature 64 + recovery id 1

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const binding = require(workerData.bindingPath)
parentPort.on('message', (input) => {
  const n = input.length / ${RECORD}
  const out = new Uint8Array(n * 65)
  for (let i = 0; i < n; i++) {
    const at = i * ${RECORD}
    try {
      out.set(binding.ecdsaRecover(input.subarray(at + 32, at + 96), input[at + 96], input.subarray(at, at + 32), false), i * 65)
    } catch {}
  }
  parentPort.postMessage(out, [out.buffer])
})
`

type Pending = { tx: TypedTransaction; resolve: (a: Address | undefined) => void }
type Batch = Pending[]

function recoveryId(tx: TypedTransaction): number | undefined {
  const v = tx.v as bigint
  if (v === 0n || v === 1n) return Number(v)
  const chainId = tx.supports(Capability.EIP155ReplayProtection) ? tx.common.chainId() : undefined
  const id = chainId === undefined ? v - 27n : v - (chainId * 2n + 35n)
  return id === 0n || id === 1n ? Number(id) : undefined
}

export function createRecoverPool(options: { threads?: number } = {}): SenderRecoverer {
  const bindingPath = createRequire(import.meta.url).resolve('secp256k1/bindings.js')
  const workers = Array.from({ length: options.threads ?? 1 }, () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bindingPath } })
    worker.unref()
    const inFlight: Batch[] = []
    worker.on('message', (out: Uint8Array) => {
      const batch = inFlight.shift() as Batch
      batch.forEach((p, i) => {
        const pub = out.subarray(i * 65, i * 65 + 65)
        p.resolve(pub[0] === 4 ? createAddressFromPublicKey(pub.subarray(1)) : undefined)
      })
    })
    return { worker, inFlight }
  })
  let queue: Pending[] = []
  let scheduled = false
  let next = 0

  const flush = () => {
    scheduled = false
    const batch = queue
    queue = []
    if (batch.length === 0) return
    const input = new Uint8Array(batch.length * RECORD)
    batch.forEach((p, i) => {
      const at = i * RECORD
      input.set(p.tx.getMessageToVerifySignature(), at)
      input.set(setLengthLeft(bigIntToBytes(p.tx.r as bigint), 32), at + 32)
      input.set(setLengthLeft(bigIntToBytes(p.tx.s as bigint), 32), at + 64)
      input[at + 96] = recoveryId(p.tx) ?? 0
    })
    const w = workers[next++ % workers.length] as (typeof workers)[number]
    w.inFlight.push(batch)
    w.worker.postMessage(input, [input.buffer])
  }

  return {
    recover(tx) {
      // Same validity rules as ethereumjs: low-s and a well-formed v.
      if ((tx.s as bigint) > SECP256K1_N_DIV_2 || recoveryId(tx) === undefined) return Promise.resolve(undefined)
      return new Promise((resolve) => {
        queue.push({ tx, resolve })
        if (!scheduled) {
          scheduled = true
          setImmediate(flush)
        }
      })
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()))
    },
  }
}
