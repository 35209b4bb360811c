/**
 * Node: recovery lanes on worker_threads with the `secp256k1` package's native libsecp256k1
 * (the same binding as the sequencer's pool, node/recover-pool.ts). Chunks go round-robin to the
 * workers and come back in order per worker.
 */

import { availableParallelism } from 'node:os'
import { nativeBindingPath, spawnRecoverThread, stopRecoverThread } from '../node/recover-thread.ts'
import type { RecoverLanes } from './recovery.ts'

/** `threads` defaults to the machine's parallelism; undefined if the native binding is missing. */
export function createRecoverThreads(options: { threads?: number } = {}): RecoverLanes | undefined {
  const bindingPath = nativeBindingPath()
  if (!bindingPath) return undefined
  const lanes = Array.from({ length: Math.max(1, options.threads ?? availableParallelism()) }, () => {
    const worker = spawnRecoverThread(bindingPath)
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
      await Promise.all(lanes.map((l) => stopRecoverThread(l.worker)))
    },
  }
}
