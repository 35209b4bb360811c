/**
 * Wall-clock limit for eth_call / eth_estimateGas, enforced inside the EVM run. Every way to keep
 * the interpreter busy goes through a jump (loops) or a new frame (call and create recursion), so
 * those opcodes check the clock; past the deadline the run aborts with CallTimeoutError, a non-EVM
 * error the interpreter does not swallow. They also hand the thread back to the event loop every
 * few ms, so a long call never delays the sequencer, other requests or the Worker's messages.
 */
import type { VM } from '@ethereumjs/vm'
import { RpcCodes, RpcError } from '../chain/errors.ts'

export class CallTimeoutError extends RpcError {
  override name = 'CallTimeoutError'
  constructor(timeoutMs: number) {
    // geth: "execution aborted (timeout = 5s)", -32000.
    super(RpcCodes.server, `execution aborted (timeout = ${timeoutMs / 1000}s)`)
  }
}

/** JUMP, JUMPI; CALL, CALLCODE, DELEGATECALL, STATICCALL; CREATE, CREATE2. */
const CHECKED_OPCODES = [0x56, 0x57, 0xf1, 0xf2, 0xf4, 0xfa, 0xf0, 0xf5]
/** Clock reads are cheap but not free: look at it once per this many checked opcodes. */
const CHECK_EVERY = 256
const YIELD_EVERY_MS = 10

type OpEntry = {
  opcodeInfo: { isAsync: boolean }
  opHandler: (runState: unknown, common: unknown) => unknown
}

export type CallClock = { deadline: number; timeoutMs: number }

/** A call clock that starts now. */
export const startCallClock = (timeoutMs: number): CallClock => ({ deadline: Date.now() + timeoutMs, timeoutMs })

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

/**
 * Makes `vm` (a VM of its own, never the sequencer's) abort any run past `clock.deadline`.
 * The clock object can be replaced between runs (estimateGas runs many under one deadline).
 */
export function limitCallTime(vm: VM, clock: CallClock): void {
  const map = (vm.evm as unknown as { _opcodeMap: OpEntry[] })._opcodeMap
  let count = 0
  let nextYield = Date.now() + YIELD_EVERY_MS
  for (const op of CHECKED_OPCODES) {
    const entry = map[op]
    if (!entry) continue
    const { opHandler } = entry
    // A copy of the opcode info: the original may be shared with other EVMs.
    const opcodeInfo = Object.assign(Object.create(Object.getPrototypeOf(entry.opcodeInfo)), entry.opcodeInfo, {
      isAsync: true,
    })
    map[op] = {
      ...entry,
      opcodeInfo,
      async opHandler(runState, common) {
        if (++count % CHECK_EVERY === 0) {
          const now = Date.now()
          if (now > clock.deadline) throw new CallTimeoutError(clock.timeoutMs)
          if (now >= nextYield) {
            await yieldToEventLoop()
            nextYield = Date.now() + YIELD_EVERY_MS
          }
        }
        return opHandler(runState, common)
      },
    }
  }
}
