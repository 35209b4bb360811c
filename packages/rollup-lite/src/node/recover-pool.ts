/**
 * Node: sender recovery on worker_threads with the `secp256k1` package's libsecp256k1 binding.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { SenderRecoverer } from '../sequencer/admit.ts'
import { createBatchedRecoverer, RECOVER_RECORD, type RecoverPort } from '../sequencer/recover-client.ts'

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

export function createRecoverPool(
  keccak256: (b: Uint8Array) => Uint8Array,
  options: { threads?: number } = {},
): SenderRecoverer {
  const bindingPath = createRequire(import.meta.url).resolve('secp256k1/bindings.js')
  const ports = Array.from({ length: options.threads ?? 1 }, (): RecoverPort => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bindingPath } })
    worker.unref()
    return {
      post: (input) => worker.postMessage(input, [input.buffer as ArrayBuffer]),
      onResult: (listener) => worker.on('message', listener),
      close: async () => {
        await worker.terminate()
      },
    }
  })
  return createBatchedRecoverer(ports, keccak256)
}
