/** eth_call and eth_estimateGas with state overrides, bounded in gas and wall-clock time. */
import type { Block } from '@ethereumjs/block'
import type { VM } from '@ethereumjs/vm'
import { bytesToHex, decodeAbiParameters, hexToBytes, numberToHex } from 'viem'
import { RpcCodes, RpcError, serverError } from '../../chain/errors.ts'
import { callBlock, estimateGas, simulateCall } from '../../exec/call.ts'
import { type CallClock, limitCallTime, startCallClock } from '../../exec/call-limits.ts'
import { createHistoricalVm } from '../../exec/state.ts'
import { type NodeContext, notFound, type RequestScope, resolveBlock } from '../context.ts'
import { blockRef, callRequest, stateOverride } from '../params.ts'

type Method = (ctx: NodeContext, params: unknown[], scope?: RequestScope) => Promise<unknown>

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

type CallVm = { vm: VM; block: Block; gasCap: bigint; clock: CallClock }

/**
 * Every call runs on a VM of its own, never under the sequencer's mutex, on the state root of the
 * published block the tag names ('latest' = the head) in that block's context, so a call agrees
 * with that block's header, proofs and storage reads. The VM aborts past the call timeout.
 */
async function callVm(ctx: NodeContext, tag: unknown, scope: RequestScope | undefined): Promise<CallVm> {
  const { limits } = ctx
  const sealed = await resolveBlock(ctx, blockRef(tag))
  if (!sealed) throw notFound('header')
  const h = sealed.header
  const vm = await createHistoricalVm(
    ctx.common,
    ctx.trieDb.snapshotReader(),
    hexToBytes(h.stateRoot),
    ctx.executor.blockHashes,
  )
  const block = callBlock(vm, h)
  const blockGasLimit = h.gasLimit
  let gasCap = limits.gasCap > 0n ? limits.gasCap : blockGasLimit
  const batch = scope?.batch
  if (batch) {
    if (batch.gasLeft <= 0n)
      throw new RpcError(RpcCodes.limitExceeded, `batch gas budget exhausted: at most ${limits.batchGasBudget} gas`)
    if (batch.gasLeft < gasCap) gasCap = batch.gasLeft
  }
  const clock = startCallClock(limits.callTimeoutMs)
  limitCallTime(vm, clock)
  return { vm, block, gasCap, clock }
}

/** geth caps a call's gas at the cap (and defaults to it) instead of refusing. */
const callGas = (requested: bigint | undefined, cap: bigint) =>
  requested === undefined || requested > cap ? cap : requested

const charge = (scope: RequestScope | undefined, gas: bigint) => {
  if (scope?.batch) scope.batch.gasLeft -= gas
}

export const callMethods: Record<string, Method> = {
  async eth_call(ctx, [req, tag, overrides], scope) {
    const request = callRequest(req)
    const override = stateOverride(overrides)
    const { vm, block, gasCap } = await callVm(ctx, tag, scope)
    const result = await simulateCall(vm, block, request, callGas(request.gas, gasCap), override)
    charge(scope, result.totalGasSpent)
    const err = result.execResult.exceptionError
    if (err) throw revertError(result.execResult.returnValue, err.error)
    return bytesToHex(result.execResult.returnValue)
  },
  async eth_estimateGas(ctx, [req, tag, overrides], scope) {
    const request = callRequest(req)
    const override = stateOverride(overrides)
    const { vm, block, gasCap } = await callVm(ctx, tag, scope)
    const cap = callGas(request.gas, gasCap)
    const result = await estimateGas(vm, block, request, cap, override, (gas) => charge(scope, gas))
    if ('revert' in result) {
      const r = result.revert.execResult
      const reason = r.exceptionError?.error ?? 'execution failed'
      if (reason === 'out of gas') throw serverError(`gas required exceeds allowance (${cap})`)
      throw revertError(r.returnValue, reason)
    }
    return numberToHex(result.gas)
  },
}
