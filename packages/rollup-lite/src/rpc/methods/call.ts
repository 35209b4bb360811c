/** eth_call and eth_estimateGas with state overrides. */
import { bytesToHex, decodeAbiParameters, numberToHex } from 'viem'
import { RpcCodes, RpcError, serverError } from '../../chain/errors.ts'
import { estimateGas, simulateCall } from '../../exec/call.ts'
import type { NodeContext } from '../context.ts'
import { blockRef, callRequest, stateOverride } from '../params.ts'

type Method = (ctx: NodeContext, params: unknown[]) => Promise<unknown>

const revertError = (returnValue: Uint8Array, reason: string) => {
  const data = bytesToHex(returnValue)
  if (reason !== 'revert') return serverError(reason)
  let message = 'execution reverted'
  if (data.startsWith('0x08c379a0')) {
    try {
      message += `: ${decodeAbiParameters([{ type: 'string' }], `0x${data.slice(10)}`)[0]}`
    } catch {}
  }
  return new RpcError(RpcCodes.executionReverted, message, data)
}

// Calls always run on the live state (latest + soft-confirmed txs); the block tag is validated
// but historical execution is not supported (old state is readable via eth_getBalance/getProof).
const requireLatest = (tag: unknown) => blockRef(tag)

export const callMethods: Record<string, Method> = {
  async eth_call(ctx, [req, tag, overrides]) {
    const request = callRequest(req)
    requireLatest(tag)
    const override = stateOverride(overrides)
    const ex = ctx.executor
    return ctx.mutex.run(async () => {
      const result = await simulateCall(ex.vm, ex.open, request, request.gas ?? ex.open.gasLimit, override)
      const err = result.execResult.exceptionError
      if (err) throw revertError(result.execResult.returnValue, err.error)
      return bytesToHex(result.execResult.returnValue)
    })
  },
  async eth_estimateGas(ctx, [req, tag, overrides]) {
    const request = callRequest(req)
    requireLatest(tag)
    const override = stateOverride(overrides)
    const ex = ctx.executor
    return ctx.mutex.run(async () => {
      const cap = request.gas ?? ex.open.gasLimit
      const result = await estimateGas(ex.vm, ex.open, request, cap, override)
      if ('revert' in result) {
        const r = result.revert.execResult
        throw revertError(r.returnValue, r.exceptionError?.error ?? 'execution failed')
      }
      return numberToHex(result.gas)
    })
  },
}
