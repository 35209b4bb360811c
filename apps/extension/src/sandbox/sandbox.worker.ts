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
import { createRunChannel } from './run-channel.ts'
import { prepareVm, type RunOutcome } from './vm.ts'

const post = (message: FromSandbox) => self.postMessage(message)
const memory = installMemoryCap(() => post({ type: 'memoryExceeded', at: epochNow() }))
const module = await newQuickJSWASMModuleFromVariant(variant)
// Ready before Run: a runtime with the capability API's globals (the script only has to be evaluated).
const vm = prepareVm(module, memory, SCRIPT_NAMESPACES)
/** The one run this Worker serves. */
let channel: ReturnType<typeof createRunChannel> | undefined

self.onmessage = async (event: MessageEvent<ToSandbox>) => {
  const message = event.data
  if (message.type === 'answer') return channel?.answer(message.callId, message.result, message.error)
  channel = createRunChannel(post)
  post({ type: 'started', at: epochNow() })
  const outcome: RunOutcome = await vm
    .run(message, channel.host)
    .catch((error: unknown) => ({ status: 'error', error: `The sandbox failed: ${String(error)}`, cpuMs: 0 }))
  post({ type: 'done', outcome, droppedLogs: channel.droppedLogs })
}
post({ type: 'ready' })
