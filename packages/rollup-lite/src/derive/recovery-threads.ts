/**
 * Node: recovery lanes on worker_threads with the `secp256k1` package's native libsecp256k1
 * (the same binding as the sequencer's pool, node/recover-pool.ts). Chunks go round-robin to the
 * workers and come back in order per worker.
 */

import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { RECOVER_RECORD } from '../sequencer/recover-client.ts'
import type { RecoverLanes } from './recovery.ts'

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const binding = require(workerData.bindingPath)
parentPort.on('message', (input) => {
  const n = input.length / ${RECOVER_RECORD}
  const out = new Uint8Array(n * 65)
  for (let i = 0; i < n; i++) {
    const at = i * ${RECOVER_RECORD}
    try {
      out.set(binding.ecdsaRecover(input.subarray(at + 32, at + 96), input[at + 96], input.subarray(at, at + 32), false), i * 65)
    } catch {}
  }
  parentPort.postMessage(out, [out.buffer])
})
`

/** `threads` defaults to the machine's parallelism; undefined if the native binding is missing. */
export function createRecoverThreads(options: { threads?: number } = {}): RecoverLanes | undefined {
  let bindingPath: string
  try {
    bindingPath = createRequire(import.meta.url).resolve('secp256k1/bindings.js')
    createRequire(import.meta.url)(bindingPath)
  } catch {
    return undefined
  }
  const lanes = Array.from({ length: Math.max(1, options.threads ?? availableParallelism()) }, () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bindingPath } })
    worker.unref()
    const waiting: { resolve(out: Uint8Array): void; reject(e: Error): void }[] = []
    worker.on('message', (out: Uint8Array) => waiting.shift()?.resolve(out))
    worker.on('error', (e) => {
      for (const w of waiting.splice(0)) w.reject(e)
    })
    return { worker, waiting }
  })
  let next = 0
  return {
    recover(records) {
      const lane = lanes[next++ % lanes.length]!
      return new Promise((resolve, reject) => {
        lane.waiting.push({ resolve, reject })
        lane.worker.postMessage(records, [records.buffer as ArrayBuffer])
      })
    },
    async close() {
      await Promise.all(lanes.map((l) => l.worker.terminate()))
    },
  }
}
