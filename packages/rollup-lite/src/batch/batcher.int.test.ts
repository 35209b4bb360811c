/**
 * Batcher safety on the devnet: a restart never loses or doubles a batch, a stuck blob tx is
 * replaced with doubled fees, a dropped tx is re-sent, and a batch reorged out of L1 is re-posted.
 */
import { RollupInboxAbi } from '@seed/contracts'
import type {} from '@seed/testkit/global-setup'
import type { Address, Hex } from 'viem'
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest'
import { createRollupNode, type RollupNode } from '../create-node.ts'
import { deriveChain } from '../derive/derive.ts'
import { createReplayExecutor } from '../derive/replay.ts'
import { deployInbox, l1Clients, makeL2Blocks, testBatcher, tickUntil } from '../derive/testing.ts'
import type { KV } from '../state/kv.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { testGenesis } from '../testing.ts'
import { loadPending } from './pending.ts'

const manifest = inject('manifest')
const { publicClient } = l1Clients(manifest)
const rpc = (method: string, params: unknown[] = []) =>
  publicClient.request({ method: method as never, params: params as never })
const genesis = testGenesis()
let node: RollupNode
let kv: KV
let inbox: Address

const batchCount = () => publicClient.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'batchCount' })

beforeEach(async () => {
  inbox = await deployInbox(manifest)
  kv = memoryKv()
  node = await createRollupNode({ kv, genesis, blockTime: 0 })
  await makeL2Blocks(node, 20, 2)
})

afterEach(async () => {
  await rpc('evm_setAutomine', [true])
  await node.close()
})

describe('batcher', () => {
  test('killed after sending, a restarted batcher finds the batch on L1 and does not post it again', async () => {
    await rpc('evm_setAutomine', [false])
    const first = testBatcher(manifest, { node, kv, inbox })
    await tickUntil(first.batcher, 'sent')
    const sent = (await loadPending(kv))!.tx!.hash
    // "kill": the first batcher never ticks again. A new one starts on the same KV.
    const second = testBatcher(manifest, { node, kv, inbox })
    expect(await second.batcher.tick()).toBe('idle') // its tx is still in the L1 pool: wait
    await rpc('evm_mine')
    await tickUntil(second.batcher, 'confirmed')
    expect(await batchCount()).toBe(1n)
    expect(second.events.some((e) => e.type === 'sent' || e.type === 'replaced')).toBe(false)
    expect((await publicClient.getTransactionReceipt({ hash: sent })).status).toBe('success')
    expect(await loadPending(kv)).toBeUndefined()
  })

  test('killed between saving the batch and sending it, a restarted batcher sends it once', async () => {
    const { publicClient: l1 } = l1Clients(manifest)
    const crashing = Object.assign(Object.create(l1), {
      sendRawTransaction: async () => {
        throw new Error('process killed')
      },
    }) as typeof l1
    const first = testBatcher(manifest, { node, kv, inbox, l1: crashing })
    await expect(first.batcher.tick()).rejects.toThrow('process killed')
    expect((await loadPending(kv))?.tx).toBeDefined() // persisted before the send
    const second = testBatcher(manifest, { node, kv, inbox })
    expect(await second.batcher.tick()).toBe('replaced') // not on L1: re-sent from the saved batch
    await tickUntil(second.batcher, 'confirmed')
    expect(await batchCount()).toBe(1n)
  })

  test('a dropped transaction is re-sent and lands once', async () => {
    await rpc('evm_setAutomine', [false])
    const { batcher, events } = testBatcher(manifest, { node, kv, inbox })
    await tickUntil(batcher, 'sent')
    const dropped = (await loadPending(kv))!.tx!.hash
    await rpc('anvil_dropTransaction', [dropped])
    expect(await batcher.tick()).toBe('replaced')
    expect(events.at(-1)).toMatchObject({ type: 'replaced', reason: expect.stringMatching(/vanished/) })
    await rpc('evm_mine')
    await tickUntil(batcher, 'confirmed')
    expect(await batchCount()).toBe(1n)
  })

  test('a stuck blob transaction is replaced at the same nonce with every fee doubled', async () => {
    await rpc('evm_setAutomine', [false])
    let clock = Date.now()
    const { batcher } = testBatcher(manifest, { node, kv, inbox, stuckAfterMs: 60_000, now: () => clock })
    await tickUntil(batcher, 'sent')
    const before = (await loadPending(kv))!.tx!
    expect(await batcher.tick()).toBe('idle')
    clock += 61_000
    expect(await batcher.tick()).toBe('replaced')
    const after = (await loadPending(kv))!.tx!
    expect(after.nonce).toBe(before.nonce)
    expect(after.hash).not.toBe(before.hash)
    expect(after.fees.maxFeePerBlobGas).toBe(before.fees.maxFeePerBlobGas * 2n + 1n)
    expect(after.fees.maxFeePerGas).toBe(before.fees.maxFeePerGas * 2n + 1n)
    const pooled = await publicClient.getTransaction({ hash: after.hash as Hex })
    expect(pooled.maxFeePerBlobGas).toBe(after.fees.maxFeePerBlobGas)
    await rpc('evm_mine')
    await tickUntil(batcher, 'confirmed')
    expect(await batchCount()).toBe(1n)
    expect((await publicClient.getTransactionReceipt({ hash: after.hash as Hex })).status).toBe('success')
  })

  test('a batch reorged out of L1 is posted again and the chain still derives', async () => {
    const snapshot = await rpc('evm_snapshot')
    const { batcher, events } = testBatcher(manifest, { node, kv, inbox })
    await tickUntil(batcher, 'sent')
    await tickUntil(batcher, 'confirmed')
    expect(await batchCount()).toBe(1n)
    await rpc('evm_revert', [snapshot]) // the block holding the batch is gone
    expect(await batchCount()).toBe(0n)
    await tickUntil(batcher, 'sent')
    await tickUntil(batcher, 'confirmed')
    expect(await batchCount()).toBe(1n)
    expect(events.filter((e) => e.type === 'sent')).toHaveLength(2)
    const result = await deriveChain({
      l1: publicClient,
      inbox,
      chainId: node.chainId,
      executor: await createReplayExecutor({ kv: memoryKv(), genesis }),
      beaconUrl: manifest.l1.beaconUrl,
    })
    expect(result.ok).toBe(true)
    expect(result.head.stateRoot).toBe(node.status().head.stateRoot)
  })
})
