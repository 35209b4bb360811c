/** `rollup.*`: the agent's embedded rollup: status, sends and deploys (through the pipeline), reads, batches. */

import type { BatchView, CallRequest, RollupStatusView, Sent } from '@seed/agent/api'
import { type Address, getContractAddress, type Hex, hexToBigInt } from 'viem'
import { rollupService } from '../rollup/rollup.ts'
import { batchingState } from '../rollup/rollup-batching.ts'
import { actFor } from './act.ts'
import type { ResolvedCaller } from './caller.ts'
import { addresses, sendOnRollup } from './wallet.ts'

export async function status(): Promise<RollupStatusView> {
  const s = await rollupService.status()
  return {
    chainId: s.chainId,
    head: s.head,
    pendingTxs: s.pendingTxs,
    batches: s.batching?.batches ?? 0,
    ...(s.lastBatch
      ? { lastBatch: { blobTxHash: s.lastBatch.blobTxHash, cid: s.lastBatch.cid, l2BlockEnd: s.lastBatch.l2BlockEnd } }
      : {}),
  }
}

export const send = (caller: ResolvedCaller, call: CallRequest): Promise<Sent> => sendOnRollup(caller, call)

/** A contract creation from the rollup account: its address follows from the account's nonce. */
export async function deploy(caller: ResolvedCaller, bytecode: Hex, value?: Hex): Promise<Sent & { address: Address }> {
  const { rollupAccount } = await addresses()
  const nonce = hexToBigInt((await rollupService.request('eth_getTransactionCount', [rollupAccount, 'pending'])) as Hex)
  const hash = (await actFor(
    caller,
    'eth_sendTransaction',
    [{ from: rollupAccount, data: bytecode, ...(value ? { value } : {}) }],
    'rollup',
  )) as Hex
  // The nonce read above is the one the signed creation used unless another send raced it: the receipt says.
  const receipt = (await rollupService.request('eth_getTransactionReceipt', [hash])) as {
    contractAddress?: Address | null
  } | null
  const address = receipt?.contractAddress ?? getContractAddress({ from: rollupAccount, nonce })
  return { chain: 'rollup', hash, address }
}

export async function call(to: Address, data: Hex) {
  return { data: (await rollupService.request('eth_call', [{ to, data }, 'latest'])) as Hex }
}

export async function batches(): Promise<BatchView[]> {
  const state = await batchingState()
  if (!state.enabled) return []
  return state.batches.map((b) => ({
    index: b.index,
    blobTxHash: b.blobTxHash ?? ('0x' as Hex),
    cid: b.cid,
    l2BlockEnd: b.lastBlock,
    at: b.at,
  }))
}
