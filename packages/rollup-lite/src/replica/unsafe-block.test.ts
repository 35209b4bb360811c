/** The unsafe-block message (SPEC.md §12): what a replica must refuse before executing anything. */
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { loadCrypto } from '../chain/crypto.ts'
import { createRollupNode } from '../create-node.ts'
import { makeL2Blocks } from '../derive/testing.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { testGenesis } from '../testing.ts'
import {
  decodeUnsafeBlock,
  encodeUnsafeBlock,
  MAX_UNSAFE_BLOCK_MESSAGE_BYTES,
  UnsafeBlockError,
} from './unsafe-block.ts'

const crypto = await loadCrypto()
const key = generatePrivateKey()
const sequencer = privateKeyToAddress(key)
const node = await createRollupNode({ kv: memoryKv(), genesis: testGenesis(), blockTime: 0, crypto })
await makeL2Blocks(node, 3, 1)
const block = (await node.block(1n))!
const check = { chainId: node.chainId, sequencer, keccak256: crypto.keccak256 }

describe('unsafe block message', () => {
  test('round-trips a block signed by the sequencer', async () => {
    const decoded = await decodeUnsafeBlock(await encodeUnsafeBlock(node.chainId, block, key), check)
    expect(decoded.hash).toBe(block.hash)
    expect(decoded.transactions).toEqual(block.transactions)
  })

  test('refuses another key, another chain, tampered bytes, garbage and oversized messages', async () => {
    const good = await encodeUnsafeBlock(node.chainId, block, key)
    const refused = (bytes: Uint8Array, o = check) =>
      expect(decodeUnsafeBlock(bytes, o)).rejects.toThrow(UnsafeBlockError)
    await refused(await encodeUnsafeBlock(node.chainId, block, generatePrivateKey()))
    await refused(good, { ...check, chainId: node.chainId + 1n })
    // One byte of a transaction changed: the recomputed hash is not what was signed.
    const tampered = good.slice()
    tampered[tampered.length - 5]! ^= 1
    await refused(tampered)
    await refused(new Uint8Array(40))
    await refused(good.subarray(0, 65 + 10))
    await refused(new Uint8Array(MAX_UNSAFE_BLOCK_MESSAGE_BYTES + 1))
  })
})
