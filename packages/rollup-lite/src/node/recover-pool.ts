/**
 * Node: sender recovery on worker_threads with the `secp256k1` package's libsecp256k1 binding.
 */

import { createBatchedRecoverer, type RecoverPort } from '../chain/recover-client.ts'
import type { SenderRecoverer } from '../protocol/tx-validity.ts'
import { nativeBindingPath, spawnRecoverThread, stopRecoverThread } from './recover-thread.ts'

export function createRecoverPool(
  keccak256: (b: Uint8Array) => Uint8Array,
  options: { threads?: number } = {},
): SenderRecoverer {
  const bindingPath = nativeBindingPath()
  if (!bindingPath) throw new Error('createRecoverPool: the native secp256k1 binding is not installed')
  const ports = Array.from({ length: options.threads ?? 1 }, (): RecoverPort => {
    const worker = spawnRecoverThread(bindingPath)
    return {
      post: (input) => worker.postMessage(input, [input.buffer as ArrayBuffer]),
      onResult: (listener) => worker.on('message', listener),
      close: () => stopRecoverThread(worker),
    }
  })
  return createBatchedRecoverer(ports, keccak256)
}
