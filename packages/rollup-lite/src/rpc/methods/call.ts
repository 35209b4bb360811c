/** eth_call and eth_estimateGas with state overrides. */
import type { Block } from '@ethereumjs/block'
import type { VM } from '@ethereumjs/vm'
import { bytesToHex, decodeAbiParameters, hexToBytes, numberToHex } from 'viem'
import { RpcCodes, RpcError, serverError } from '../../chain/errors.ts'
import { callBlock, estimateGas, liveCallBlock, simulateCall } from '../../exec/call.ts'
import { createHistoricalVm } from '../../exec/state.ts'
import { type NodeContext, notFound, resolveBlock } from '../context.ts'
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

/**
 * 'latest'/'pending' run on the live state (with soft-confirmed txs) in the open block, under the
 * mutex; a block number or hash runs on that block's state root in that block's context, on a
 * separate VM, so historical calls never wait behind execution.
 */
async function withCallVm<T>(
  ctx: NodeContext,
  tag: unknown,
  run: (vm: VM, block: Block, gasCap: bigint) => Promise<T>,
): Promise<T> {
  const ref = blockRef(tag)
  const ex = ctx.executor
  if ('tag' in ref) return ctx.mutex.run(() => run(ex.vm, liveCallBlock(ex.vm, ex.open), ex.open.gasLimit))
  const sealed = await resolveBlock(ctx, ref)
  if (!sealed) throw notFound('header')
  const h = sealed.header
  const vm = await createHistoricalVm(ctx.common, ctx.trieDb, hexToBytes(h.stateRoot), ex.blockHashes)
  return run(vm, callBlock(vm, h), h.gasLimit)
}

export const callMethods: Record<string, Method> = {
  async eth_call(ctx, [req, tag, overrides]) {
    const request = callRequest(req)
    const override = stateOverride(overrides)
    return withCallVm(ctx, tag, async (vm, block, gasCap) => {
      const result = await simulateCall(vm, block, request, request.gas ?? gasCap, override)
      const err = result.execResult.exceptionError
      if (err) throw revertError(result.execResult.returnValue, err.error)
      return bytesToHex(result.execResult.returnValue)
    })
  },
  async eth_estimateGas(ctx, [req, tag, overrides]) {
    const request = callRequest(req)
    const override = stateOverride(overrides)
    return withCallVm(ctx, tag, async (vm, block, gasCap) => {
      const result = await estimateGas(vm, block, request, request.gas ?? gasCap, override)
      if ('revert' in result) {
        const r = result.revert.execResult
        throw revertError(r.returnValue, r.exceptionError?.error ?? 'execution failed')
      }
      return numberToHex(result.gas)
    })
  },
}
