/**
 * The batcher against a flaky L1 RPC (issue 12): an RPC error while it looks for its tx is not
 * "not mined", so it never signs the batch again at a new nonce while the first tx may land.
 */
import { RollupInboxAbi } from '@seed/contracts'
import type {} from '@seed/testkit/global-setup'
import type { Address } from 'viem'
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest'
import { createRollupNode, type RollupNode } from '../create-node.ts'
import { deployInbox, l1Clients, l1Sequencer, makeL2Blocks, testBatcher, tickUntil } from '../derive/testing.ts'
import type { KV } from '../state/kv.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { testGenesis } from '../testing.ts'
import { loadPending } from './pending.ts'

const manifest = inject('manifest')
const { publicClient } = l1Clients(manifest)
const rpc = (method: string, params: unknown[] = []) =>
  publicClient.request({ method: method as never, params: params as never })
let node: RollupNode
let kv: KV
let inbox: Address

beforeEach(async () => {
  inbox = await deployInbox(manifest)
  kv = memoryKv()
  node = await createRollupNode({ kv, genesis: testGenesis(), blockTime: 0 })
  await makeL2Blocks(node, 5, 2)
})

afterEach(async () => {
  await rpc('evm_setAutomine', [true])
  await node.close()
})

describe('hostile L1 RPC', () => {
  test('a tx mined while the receipt lookup fails is not signed again at the next nonce', async () => {
    await rpc('evm_setAutomine', [false])
    const first = testBatcher(manifest, { node, kv, inbox })
    await tickUntil(first.batcher, 'sent')
    const sent = (await loadPending(kv))!.tx!
    // The batch tx lands between the inbox read and the receipt lookup, and the L1 RPC then
    // fails the lookups (a 502 from a load balancer, a restarting node...).
    const flaky = Object.assign(Object.create(publicClient), {
      getTransactionReceipt: async () => {
        await rpc('evm_mine')
        throw new Error('HTTP request failed. Status: 502')
      },
      getTransaction: async () => {
        throw new Error('HTTP request failed. Status: 502')
      },
    }) as typeof publicClient
    const second = testBatcher(manifest, { node, kv, inbox, l1: flaky })
    await expect(second.batcher.tick()).rejects.toThrow(/502/)
    expect(second.events.filter((e) => e.type === 'sent' || e.type === 'replaced')).toEqual([])
    await rpc('evm_mine')
    const nonce = await publicClient.getTransactionCount({ address: l1Sequencer.address, blockTag: 'pending' })
    expect(nonce).toBe(sent.nonce + 1)
    const third = testBatcher(manifest, { node, kv, inbox })
    await tickUntil(third.batcher, 'confirmed')
    expect(await publicClient.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'batchCount' })).toBe(
      1n,
    )
    expect(await publicClient.getTransactionCount({ address: l1Sequencer.address, blockTag: 'pending' })).toBe(
      sent.nonce + 1,
    )
  })
})
