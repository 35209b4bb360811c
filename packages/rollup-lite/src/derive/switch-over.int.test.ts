/**
 * The switch-over rule (SPEC.md §10.2) on the devnet: a chain whose node started before its inbox and
 * bridge config existed (the wallet's embedded chain). Its first blocks carry origin 0; the inbox and the
 * config are created later; the node's feed is attached, deposits arrive, batches are posted, and a
 * fresh verifier re-derives all of it, deposits included. And the rule keeps forced inclusion: origin-0
 * blocks posted after the force window past the registration are refused.
 */

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BRIDGE_CONFIG_PRESETS, depositEth, RollupInboxFactoryAbi, registerBridgeConfig } from '@seed/contracts'
import type {} from '@seed/testkit/global-setup'
import { type Address, encodeFunctionData, type Hex, numberToHex, parseEther } from 'viem'
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, inject, test } from 'vitest'
import type { Genesis } from '../chain/types.ts'
import { createRollupNode, type RollupNode } from '../create-node.ts'
import { httpPinner } from '../ipfs/pinner.ts'
import { L1_CONFIRMATION_DEPTH } from '../protocol/config.ts'
import { devGenesis, parseGenesis } from '../protocol/genesis-file.ts'
import { l1OriginOf } from '../protocol/header.ts'
import { deferredDepositSource, portalDepositSource } from '../sequencer/deposit-feed.ts'
import type { KV } from '../state/kv.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { TEST_KEYS } from '../testing.ts'
import { runVerify } from './cli.ts'
import { deriveChain } from './derive.ts'
import { createReplayExecutor } from './replay.ts'
import { l1Clients, makeL2Blocks, testBatcher, tickUntil } from './testing.ts'

const manifest = inject('manifest')
const { publicClient: l1 } = l1Clients(manifest)
const factory = manifest.contracts.rollupInboxFactory
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const mineL1 = (blocks: bigint) => l1.request({ method: 'anvil_mine', params: [numberToHex(blocks)] } as never)

/** A fresh funded L1 key (anvil's balance cheat: no nonce shared with other test files). */
async function freshL1Account(): Promise<PrivateKeyAccount> {
  const account = privateKeyToAccount(generatePrivateKey())
  await l1.request({ method: 'anvil_setBalance', params: [account.address, numberToHex(parseEther('100'))] } as never)
  return account
}

async function send(from: PrivateKeyAccount, call: { to?: Address; data: Hex; value?: bigint }) {
  const hash = await l1Clients(manifest).owner.sendTransaction({ ...call, account: from, chain: l1.chain })
  const receipt = await l1.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`L1 call reverted: ${hash}`)
  return receipt
}

/**
 * A chain as the wallet starts one: its inbox address and chain id predicted (nothing on L1 yet), its node
 * sequencing from a deferred feed. `bridge()` later creates the inbox and registers the config.
 */
async function chainBeforeItsInbox(forceWindow: bigint = BRIDGE_CONFIG_PRESETS.devnet.forceWindow) {
  const owner = await freshL1Account()
  const sequencer = await freshL1Account()
  const predict = (functionName: 'predictInbox' | 'predictChainId') =>
    l1.readContract({
      address: factory,
      abi: RollupInboxFactoryAbi,
      functionName,
      args: [owner.address, sequencer.address],
    })
  const inbox = (await predict('predictInbox')) as Address
  const genesisJson = devGenesis(
    Number(await predict('predictChainId')),
    TEST_KEYS.map((k) => privateKeyToAccount(k).address),
  )
  const genesis: Genesis = parseGenesis(genesisJson)
  const kv = memoryKv()
  const feed = deferredDepositSource()
  const node = await createRollupNode({ kv, genesis, blockTime: 100, deposits: feed })
  return {
    inbox,
    genesis,
    genesisJson,
    kv,
    node,
    sequencer,
    /** Creates the inbox and registers its bridge config; returns the registration's L1 block. */
    async bridge(): Promise<bigint> {
      await send(owner, {
        to: factory,
        data: encodeFunctionData({
          abi: RollupInboxFactoryAbi,
          functionName: 'createInbox',
          args: [sequencer.address],
        }),
      })
      const guardian = privateKeyToAccount(generatePrivateKey())
      const config = { ...BRIDGE_CONFIG_PRESETS.devnet, forceWindow, guardians: [guardian.address], threshold: 1n }
      return (await send(owner, registerBridgeConfig({ inbox, config }))).blockNumber
    },
    attachFeed: () => feed.attach(portalDepositSource(l1, { inbox })),
  }
}

async function postAll(node: RollupNode, kv: KV, inbox: Address, sequencer: PrivateKeyAccount) {
  const { batcher } = testBatcher(manifest, {
    node,
    kv,
    inbox,
    account: sequencer,
    ipfs: httpPinner(manifest.services.ipfsHttp!, { signer: sequencer }),
  })
  await node.flushed()
  // Every sealed block, in as many batches as it takes.
  for (let i = 0; i < 40; i++) {
    const event = await batcher.tick()
    if (event === 'idle') return
    if (event === 'sent') await tickUntil(batcher, 'confirmed')
    else await sleep(100)
  }
  throw new Error('the batcher never caught up')
}

const derive = async (chain: { inbox: Address; genesis: Genesis }) =>
  deriveChain({
    l1,
    inbox: chain.inbox,
    chainId: BigInt(chain.genesis.chainId),
    executor: await createReplayExecutor({ kv: memoryKv(), genesis: chain.genesis }),
    bridge: {},
    beaconUrl: manifest.l1.beaconUrl,
    ipfsUrl: manifest.services.ipfsHttp,
  })

async function waitForL2Balance(node: RollupNode, address: Address, atLeast: bigint) {
  for (let i = 0; i < 300; i++) {
    const balance = BigInt((await node.request('eth_getBalance', [address, 'latest'])) as Hex)
    if (balance >= atLeast) return balance
    await sleep(100)
  }
  throw new Error(`the deposit to ${address} never reached L2`)
}

describe('a chain started before its bridge (switch-over)', () => {
  test('origin-0 blocks, then the inbox and config, then deposits: a verifier re-derives all of it', async () => {
    const WINDOW = 45n
    // Every real L1 is older than the window (a state read of the window ignoring when it began would judge
    // origin 0 by L1's genesis time and refuse the chain): make the devnet so too.
    const { timestamp: l1Genesis } = await l1.getBlock({ blockNumber: 0n })
    while (BigInt(Math.floor(Date.now() / 1000)) <= l1Genesis + WINDOW) await sleep(1000)
    const chain = await chainBeforeItsInbox(WINDOW)
    try {
      // Before the inbox exists: blocks with transactions, every one at origin 0.
      await makeL2Blocks(chain.node, 6, 3)
      const early = (await chain.node.block(1n))!
      expect(l1OriginOf(early.header)).toBe(0n)

      await chain.bridge()
      const depositor = await freshL1Account()
      await send(
        depositor,
        await depositEth(l1, { inbox: chain.inbox, to: depositor.address, amount: parseEther('2') }),
      )
      chain.attachFeed()
      await mineL1(L1_CONFIRMATION_DEPTH)
      await waitForL2Balance(chain.node, depositor.address, parseEther('2'))
      await makeL2Blocks(chain.node, 4, 2, 1)
      await postAll(chain.node, chain.kv, chain.inbox, chain.sequencer)

      const head = chain.node.status().head
      const result = await derive(chain)
      expect(result.divergence).toBeUndefined()
      // The head's hash commits to every block, the deposit's block and its state included.
      expect(result.head).toMatchObject({ number: head.number, hash: head.hash, stateRoot: head.stateRoot })
      expect(result.head.l1Origin).toBeGreaterThan(0n)

      // The CLI verifier needs --deposits for such a chain: without it the deposit is not replayed.
      const file = join(mkdtempSync(join(process.env.SEED_TEST_TMP ?? tmpdir(), 'switch-over-')), 'genesis.json')
      writeFileSync(file, JSON.stringify(chain.genesisJson))
      const verify = (...extra: string[]) =>
        runVerify(['--l1', manifest.l1.rpcUrl, '--inbox', chain.inbox, '--genesis', file, ...extra])
      expect(await verify('--deposits')).toBe(0)
      expect(await verify()).toBe(1)
    } finally {
      await chain.node.close()
    }
  }, 180_000)

  test('origin-0 blocks posted later than the force window after the registration are refused', async () => {
    const WINDOW = 15n
    const chain = await chainBeforeItsInbox(WINDOW)
    try {
      await makeL2Blocks(chain.node, 2, 1)
      await chain.bridge()
      // The sequencer sits on its pre-bridge blocks past the window: the first batch may not hold them any more.
      await sleep(Number(WINDOW + 2n) * 1000)
      await mineL1(1n)
      await postAll(chain.node, chain.kv, chain.inbox, chain.sequencer)
      const result = await derive(chain)
      expect(result.ok).toBe(false)
      expect(result.divergence).toMatchObject({ batchIndex: 0n, reason: expect.stringMatching(/force window/) })
    } finally {
      await chain.node.close()
    }
  }, 120_000)
})
