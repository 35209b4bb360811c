/**
 * Node: blob KZG commitments on worker_threads with the `c-kzg` binding (each thread loads the
 * trusted setup once; c-kzg keeps it per thread). A commitment is ~40 ms of CPU per blob: on the
 * executing thread that was ~15% of a verifier's time and stalled execution while the next
 * batch's blobs were checked; here a batch's blobs are committed in parallel, and batch k+1's
 * checks overlap batch k's execution (docs/decisions/0113).
 */
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { stopRecoverThread } from '../node/recover-thread.ts'
import type { BlobCommitter } from './blob-kzg.ts'

// 'close' is the same ordered shutdown as the recovery threads' (node/recover-thread.ts): a
// terminate() during a native call would abort the process.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const ckzg = require(workerData.path)
ckzg.loadTrustedSetup(0)
parentPort.on('message', (blob) => {
  if (blob === 'close') return parentPort.close()
  let commitment
  try {
    commitment = ckzg.blobToKzgCommitment(blob)
  } catch {
    commitment = new Uint8Array(0) // not a valid blob: matches no versioned hash
  }
  parentPort.postMessage(commitment)
})
`

export type KzgThreads = BlobCommitter & { close(): Promise<void> }

/** `threads` defaults to the machine's parallelism; undefined if the c-kzg binding is missing. */
export function createKzgThreads(options: { threads?: number } = {}): KzgThreads | undefined {
  let path: string
  try {
    const require = createRequire(import.meta.url)
    path = require.resolve('c-kzg')
    require(path)
  } catch {
    return undefined
  }
  type Pending = { resolve(out: Uint8Array): void; reject(e: Error): void }
  const lanes = Array.from({ length: Math.max(1, options.threads ?? availableParallelism()) }, () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } })
    // Referenced only while it owes answers: an idle pool never keeps the process alive.
    worker.unref()
    const lane = { worker, waiting: [] as Pending[], failed: undefined as Error | undefined, exited: false }
    worker.on('message', (out: Uint8Array) => {
      lane.waiting.shift()?.resolve(out)
      if (lane.waiting.length === 0) worker.unref()
    })
    const fail = (e: Error) => {
      lane.failed ??= e
      for (const w of lane.waiting.splice(0)) w.reject(lane.failed)
      worker.unref()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => {
      lane.exited = true
      fail(new Error(`KZG thread exited (code ${code})`))
    })
    return lane
  })
  let next = 0
  const commitOne = (blob: Uint8Array) => {
    const lane = lanes[next++ % lanes.length]!
    return new Promise<Uint8Array>((resolve, reject) => {
      if (lane.failed) return reject(lane.failed)
      lane.waiting.push({ resolve, reject })
      lane.worker.ref()
      lane.worker.postMessage(blob)
    })
  }
  return {
    commit: (blobs) => Promise.all(blobs.map(commitOne)),
    async close() {
      await Promise.all(lanes.filter((l) => !l.exited).map((l) => stopRecoverThread(l.worker)))
    },
  }
}
