/**
 * One Node worker_thread recovering secp256k1 public keys with the `secp256k1` package's native
 * libsecp256k1 binding. Input: RECOVER_RECORD-byte records (hash 32, sig 64, recovery id 1);
 * output: 65 bytes per record (zeros where nothing recovers). Used by the sequencer's pool and by
 * derivation's recovery lanes.
 */

import { once } from 'node:events'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { RECOVER_RECORD } from '../chain/recover-client.ts'

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const binding = require(workerData.bindingPath)
parentPort.on('message', (input) => {
  // Ordered shutdown: every chunk posted before 'close' has been answered; the thread then exits
  // on its own. (terminate() during a native call aborts the whole process: Napi::Error, SIGABRT.)
  if (input === 'close') return parentPort.close()
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

/** The native binding's path, or undefined where it is not installed/built. */
export function nativeBindingPath(): string | undefined {
  try {
    const require = createRequire(import.meta.url)
    const path = require.resolve('secp256k1/bindings.js')
    require(path)
    return path
  } catch {
    return undefined
  }
}

/** An unref'd thread: it never keeps the process alive. */
export function spawnRecoverThread(bindingPath: string): Worker {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bindingPath } })
  worker.unref()
  return worker
}

/** How long a thread may take to finish its queued chunks before it is terminated anyway. */
const STOP_TIMEOUT_MS = 10_000

/**
 * Stops a recovery thread after it has answered every chunk already posted (the 'close' message
 * queues behind them), never in the middle of a native call.
 */
export async function stopRecoverThread(worker: Worker): Promise<void> {
  const exited = once(worker, 'exit')
  worker.postMessage('close')
  const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS)
  try {
    await exited
  } finally {
    clearTimeout(timer)
  }
}
