/**
 * One sandbox Worker runs one script (decision 0603): QuickJS loads while the Worker waits as the
 * host's warm spare, then `run` executes the script and the host terminates the Worker. Being a
 * dedicated Worker, it can be killed at once (Stop, a memory bomb) without touching the wallet.
 */
import variant from '@jitl/quickjs-singlefile-browser-release-sync'
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core'
import { SCRIPT_NAMESPACES } from '../console/api-surface.ts'
import { installMemoryCap } from './memory-cap.ts'
import { epochNow, type FromSandbox, type ToSandbox } from './protocol.ts'
import { prepareVm, type RunOutcome } from './vm.ts'

const post = (message: FromSandbox) => self.postMessage(message)
const memory = installMemoryCap(() => post({ type: 'memoryExceeded', at: epochNow() }))
const module = await newQuickJSWASMModuleFromVariant(variant)
// Ready before Run: a runtime with the capability API's globals (the script only has to be evaluated).
const vm = prepareVm(module, memory, SCRIPT_NAMESPACES)
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>()
let nextCallId = 1

self.onmessage = async (event: MessageEvent<ToSandbox>) => {
  const message = event.data
  if (message.type === 'answer') {
    const call = pending.get(message.callId)
    pending.delete(message.callId)
    if (message.error) call?.reject(Object.assign(new Error(message.error.message), message.error))
    else call?.resolve(message.result)
    return
  }
  post({ type: 'started', at: epochNow() })
  const outcome: RunOutcome = await vm
    .run(message, {
      log: (entry) => post({ type: 'log', entry }),
      call: (method, args) =>
        new Promise((resolve, reject) => {
          const callId = nextCallId++
          pending.set(callId, { resolve, reject })
          post({ type: 'call', callId, method, args })
        }),
    })
    .catch((error: unknown) => ({ status: 'error', error: `The sandbox failed: ${String(error)}`, cpuMs: 0 }))
  post({ type: 'done', outcome })
}
post({ type: 'ready' })
