/**
 * The escape hatch (docs/decisions/0700): once the sequencer has posted nothing for the chain's force window,
 * anyone may post batches (so a user can exit without it); the sequencer regains exclusivity by posting again.
 */
import { type Hex, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { getEscapeHatch } from '../src/index.ts'
import { type BridgeL1, createAgentChain, startBridgeL1 } from './bridge-chain.ts'

let env: BridgeL1
beforeAll(async () => {
  env = await startBridgeL1(31_418)
})
afterAll(async () => {
  await env?.stop()
})

const root = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex

test('after the force window without a sequencer post anyone may post; the sequencer’s next post shuts the hatch', async () => {
  const chain = await createAgentChain(env)
  const stranger = privateKeyToAccount(generatePrivateKey())
  await env.fund(stranger.address, parseEther('1'))
  await chain.postBatch(root(1))
  expect((await chain.postBatchRevert(root(2), stranger)).errorName).toBe('NotSequencer')
  const shut = await getEscapeHatch(env.l1, { inbox: chain.inbox })
  expect(shut.open).toBe(false)

  await env.travel(chain.config.forceWindow)
  expect(await getEscapeHatch(env.l1, { inbox: chain.inbox })).toEqual({ open: true, opensAt: shut.opensAt })
  // The sequencer is down: a user posts the batch that lets it exit, and another one after it.
  expect((await chain.postBatch(root(2), stranger)).index).toBe(1n)
  expect((await chain.postBatch(root(3), stranger)).index).toBe(2n)

  // Back up: the sequencer posts, and is alone again for another force window.
  await chain.postBatch(root(4))
  expect((await getEscapeHatch(env.l1, { inbox: chain.inbox })).open).toBe(false)
  expect((await chain.postBatchRevert(root(5), stranger)).errorName).toBe('NotSequencer')
})

test('a chain that never posted opens its hatch a force window after its creation; one without a config never does', async () => {
  const silent = await createAgentChain(env)
  const unbridged = await createAgentChain(env, { register: false })
  const stranger = privateKeyToAccount(generatePrivateKey())
  await env.fund(stranger.address, parseEther('1'))
  await env.travel(silent.config.forceWindow)
  expect((await silent.postBatch(root(1), stranger)).index).toBe(0n)
  expect((await unbridged.postBatchRevert(root(1), stranger)).errorName).toBe('NotSequencer')
})
