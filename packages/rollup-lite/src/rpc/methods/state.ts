/** Account and storage reads: balance, code, storage, nonce, proofs. */
import { getMerkleStateProof } from '@ethereumjs/statemanager'
import { createAddressFromString, setLengthLeft } from '@ethereumjs/util'
import { bytesToHex, hexToBytes, numberToHex } from 'viem'
import { invalidParams, RpcCodes, RpcError } from '../../chain/errors.ts'
import { createHistoricalStateManager } from '../../exec/state.ts'
import { type NodeContext, notFound, resolveBlock, withState } from '../context.ts'
import { address, blockRef, hash32, quantity } from '../params.ts'

type Method = (ctx: NodeContext, params: unknown[]) => Promise<unknown>

const slotKey = (v: unknown) => {
  const n = quantity(typeof v === 'string' && v.length > 66 ? '0x' : v, 'storage slot')
  return setLengthLeft(hexToBytes(numberToHex(n)), 32)
}

export const stateMethods: Record<string, Method> = {
  async eth_getBalance(ctx, [a, tag]) {
    const addr = createAddressFromString(address(a))
    return withState(ctx, blockRef(tag), async (sm) => numberToHex((await sm.getAccount(addr))?.balance ?? 0n))
  },
  async eth_getTransactionCount(ctx, [a, tag]) {
    const addr = createAddressFromString(address(a))
    return withState(ctx, blockRef(tag), async (sm) => numberToHex((await sm.getAccount(addr))?.nonce ?? 0n))
  },
  async eth_getCode(ctx, [a, tag]) {
    const addr = createAddressFromString(address(a))
    return withState(ctx, blockRef(tag), async (sm) => bytesToHex(await sm.getCode(addr)))
  },
  async eth_getStorageAt(ctx, [a, slot, tag]) {
    const addr = createAddressFromString(address(a))
    const key = slotKey(slot)
    return withState(ctx, blockRef(tag), async (sm) => {
      if (!(await sm.getAccount(addr))) return `0x${'00'.repeat(32)}`
      return bytesToHex(setLengthLeft(await sm.getStorage(addr, key), 32))
    })
  },
  /** Proofs are against a sealed block's state root ('latest' = the last sealed block). */
  async eth_getProof(ctx, [a, slots, tag]) {
    const addr = createAddressFromString(address(a))
    if (!Array.isArray(slots)) throw invalidParams('invalid storageKeys: expected an array')
    const { maxProofKeys } = ctx.limits
    if (slots.length > maxProofKeys)
      throw new RpcError(RpcCodes.limitExceeded, `too many storage keys: at most ${maxProofKeys}`)
    const keys = slots.map((s) => setLengthLeft(hexToBytes(hash32(normalizeSlot(s), 'storage key')), 32))
    const block = await resolveBlock(ctx, blockRef(tag))
    if (!block) throw notFound('header')
    const sm = await createHistoricalStateManager(ctx.common, ctx.trieDb, hexToBytes(block.header.stateRoot))
    const proof = await getMerkleStateProof(sm, addr, keys)
    // A missing account has an empty storage trie: every key proves zero with an empty proof (geth).
    if (proof.storageProof.length === 0 && keys.length > 0)
      proof.storageProof = keys.map((k) => ({ key: bytesToHex(k), value: '0x0', proof: [] }))
    return proof
  },
}

function normalizeSlot(v: unknown): unknown {
  if (typeof v !== 'string' || !v.startsWith('0x')) return v
  return `0x${v.slice(2).padStart(64, '0')}`
}
