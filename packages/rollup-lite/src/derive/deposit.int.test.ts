/**
 * Deposits end to end on the devnet (SPEC.md §10.1–§10.2): ETH deposited through the real
 * SeedPortal reaches the L2 balance once its L1 block is confirmed (the block moving its origin past
 * it begins with it), a contract caller's deposit lands on its alias, a deposit whose call reverts
 * keeps its mint, nobody can send a deposit over RPC, and a fresh verifier re-derives every deposit
 * from L1 + IPFS to the same state. The chain's genesis funds nobody: every wei on it came by deposit.
 */

import {
  BRIDGE_CONFIG_PRESETS,
  depositEth,
  RollupInboxAbi,
  RollupInboxFactoryAbi,
  registerBridgeConfig,
  SEED_PORTAL,
  SeedPortalAbi,
} from '@seed/contracts'
import type {} from '@seed/testkit/global-setup'
import {
  type Address,
  encodeFunctionData,
  type Hex,
  numberToHex,
  parseEther,
  parseEventLogs,
  type TransactionReceipt,
  zeroAddress,
} from 'viem'
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import type { Genesis } from '../chain/types.ts'
import { createRollupNode, type RollupNode } from '../create-node.ts'
import { HISTORY_STORAGE_ADDRESS } from '../exec/system-contracts.ts'
import { httpPinner } from '../ipfs/pinner.ts'
import { nextBaseFee } from '../protocol/base-fee.ts'
import { applyL1ToL2Alias } from '../protocol/bridge/aliasing.ts'
import {
  decodeDepositLog,
  depositTransaction,
  depositTransactionHash,
  serializeDepositTransaction,
} from '../protocol/bridge/deposit.ts'
import { L1_CONFIRMATION_DEPTH } from '../protocol/config.ts'
import { l1OriginOf } from '../protocol/header.ts'
import { portalDepositSource } from '../sequencer/deposit-feed.ts'
import type { KV } from '../state/kv.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { deriveChain } from './derive.ts'
import { createReplayExecutor } from './replay.ts'
import { l1Clients, testBatcher, tickUntil } from './testing.ts'

const manifest = inject('manifest')
const { publicClient: l1 } = l1Clients(manifest)
const kv = memoryKv()
let node: RollupNode
let inbox: Address
let genesis: Genesis
let sequencer: PrivateKeyAccount
let user: PrivateKeyAccount

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

const mineL1 = (blocks: bigint) => l1.request({ method: 'anvil_mine', params: [numberToHex(blocks)] } as never)

/** The deposit the portal logged in `receipt`, and its L2 transaction hash. */
function depositOf(receipt: TransactionReceipt) {
  const [log] = parseEventLogs({ abi: SeedPortalAbi, eventName: 'TransactionDeposited', logs: receipt.logs })
  const deposit = decodeDepositLog({
    topics: log!.topics,
    data: log!.data,
    blockHash: log!.blockHash,
    blockNumber: log!.blockNumber,
    logIndex: log!.logIndex,
  })
  return { deposit, l2Hash: depositTransactionHash(depositTransaction(deposit)) }
}

/** Confirms `receipt`'s L1 block (depth 2) and waits for the L2 receipt of its deposit. */
async function depositOnL2(receipt: TransactionReceipt, on: RollupNode = node) {
  const { deposit, l2Hash } = depositOf(receipt)
  await mineL1(L1_CONFIRMATION_DEPTH)
  for (let i = 0; i < 300; i++) {
    const r = (await on.request('eth_getTransactionReceipt', [l2Hash])) as Record<string, Hex> | null
    if (r) return { deposit, l2Hash, l2Receipt: r }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`deposit ${l2Hash} never reached L2`)
}

const l2Balance = async (a: Address, on: RollupNode = node) =>
  BigInt((await on.request('eth_getBalance', [a, 'latest'])) as Hex)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Posts every sealed block of `on` as `poster` (pinned to IPFS only when the poster is the sequencer). */
async function postAll(on: RollupNode, kvOf: KV, chainInbox: Address, poster: PrivateKeyAccount, pin: boolean) {
  const { batcher } = testBatcher(manifest, {
    node: on,
    kv: kvOf,
    inbox: chainInbox,
    account: poster,
    ipfs: pin ? httpPinner(manifest.services.ipfsHttp!, { signer: poster }) : undefined,
  })
  await on.flushed()
  await tickUntil(batcher, 'sent')
  await tickUntil(batcher, 'confirmed')
}

const derive = async (chain: { inbox: Address; genesis: Genesis }, executorKv: KV = memoryKv()) =>
  deriveChain({
    l1,
    inbox: chain.inbox,
    chainId: BigInt(chain.genesis.chainId),
    executor: await createReplayExecutor({ kv: executorKv, genesis: chain.genesis, serving: true }),
    bridge: {},
    beaconUrl: manifest.l1.beaconUrl,
    ipfsUrl: manifest.services.ipfsHttp,
  })

/** A fresh agent chain: an inbox from the factory, its bridge config, and a genesis that funds nobody. */
async function bridgedChain(forceWindow: bigint = BRIDGE_CONFIG_PRESETS.devnet.forceWindow) {
  const owner = await freshL1Account()
  const sequencer = await freshL1Account()
  const factory = manifest.contracts.rollupInboxFactory
  await send(owner, {
    to: factory,
    data: encodeFunctionData({ abi: RollupInboxFactoryAbi, functionName: 'createInbox', args: [sequencer.address] }),
  })
  const inbox = await l1.readContract({
    address: factory,
    abi: RollupInboxFactoryAbi,
    functionName: 'inboxOf',
    args: [owner.address],
  })
  const guardian = privateKeyToAccount(generatePrivateKey())
  await send(
    owner,
    registerBridgeConfig({
      inbox,
      config: { ...BRIDGE_CONFIG_PRESETS.devnet, forceWindow, guardians: [guardian.address], threshold: 1n },
    }),
  )
  const chainId = await l1.readContract({
    address: factory,
    abi: RollupInboxFactoryAbi,
    functionName: 'chainIdOf',
    args: [inbox],
  })
  // A non-dev chain: nobody is funded at genesis.
  const genesis: Genesis = { chainId: Number(chainId), timestamp: 0, alloc: {} }
  return { inbox, sequencer, genesis }
}

beforeAll(async () => {
  user = await freshL1Account()
  ;({ inbox, sequencer, genesis } = await bridgedChain())
  node = await createRollupNode({
    kv,
    genesis,
    blockTime: 100,
    deposits: portalDepositSource(l1, { inbox }),
  })
}, 120_000)

afterAll(async () => {
  await node?.close()
})

describe('deposits on the devnet', () => {
  test('an ETH deposit is the first transaction of the L2 block whose origin moves past its L1 block', async () => {
    const receipt = await send(user, await depositEth(l1, { inbox, to: user.address, amount: parseEther('1') }))
    const { l2Receipt } = await depositOnL2(receipt)
    expect(l2Receipt).toMatchObject({ type: '0x7e', status: '0x1', from: user.address.toLowerCase() })
    expect(await l2Balance(user.address)).toBe(parseEther('1'))
    const block = (await node.block(BigInt(l2Receipt.blockNumber!)))!
    // The block that moved its origin past the deposit's L1 block, at most to the confirmed head.
    expect(l1OriginOf(block.header)).toBeGreaterThanOrEqual(receipt.blockNumber)
    expect(l1OriginOf(block.header)).toBeLessThanOrEqual((await l1.getBlockNumber()) - L1_CONFIRMATION_DEPTH)
    expect(l2Receipt.transactionIndex).toBe('0x0')
  })

  test('eth_getTransactionByHash shows the deposit in OP JSON shape', async () => {
    const receipt = await send(user, await depositEth(l1, { inbox, to: user.address, amount: 7n }))
    const { deposit, l2Hash } = await depositOnL2(receipt)
    const tx = (await node.request('eth_getTransactionByHash', [l2Hash])) as Record<string, unknown>
    expect(tx).toMatchObject({
      type: '0x7e',
      hash: l2Hash,
      from: user.address.toLowerCase(),
      to: user.address,
      mint: '0x7',
      value: '0x7',
      sourceHash: depositTransaction(deposit).sourceHash,
      isSystemTx: false,
    })
    const block = (await node.request('eth_getBlockByNumber', [tx.blockNumber, true])) as { transactions: unknown[] }
    expect(block.transactions[0]).toMatchObject({ type: '0x7e', hash: l2Hash })
  })

  test("a contract caller's deposit is minted to its alias", async () => {
    const forwarder = await deployForwarder()
    const call = await depositEth(l1, { inbox, to: user.address, amount: parseEther('0.25'), value: 0n })
    const receipt = await send(user, { to: forwarder, data: call.data, value: call.value })
    const { deposit } = await depositOnL2(receipt)
    expect(deposit.from).toBe(applyL1ToL2Alias(forwarder))
    expect(await l2Balance(applyL1ToL2Alias(forwarder))).toBe(parseEther('0.25'))
  })

  test('a deposit whose call reverts keeps its mint and bumps the nonce', async () => {
    const before = await l2Balance(user.address)
    const nonceBefore = BigInt((await node.request('eth_getTransactionCount', [user.address, 'latest'])) as Hex)
    // The EIP-2935 history contract reverts on calldata that is not 32 bytes.
    const receipt = await send(
      user,
      await depositEth(l1, {
        inbox,
        to: HISTORY_STORAGE_ADDRESS,
        amount: parseEther('0.5'),
        value: parseEther('0.1'),
        data: '0x1234',
      }),
    )
    const { l2Receipt } = await depositOnL2(receipt)
    expect(l2Receipt.status).toBe('0x0')
    expect(await l2Balance(user.address)).toBe(before + parseEther('0.5'))
    expect(await l2Balance(HISTORY_STORAGE_ADDRESS)).toBe(0n)
    expect(BigInt((await node.request('eth_getTransactionCount', [user.address, 'latest'])) as Hex)).toBe(
      nonceBefore + 1n,
    )
  })

  test('nobody can send a deposit transaction over RPC', async () => {
    const forged = depositTransaction({
      inbox,
      from: user.address,
      to: user.address,
      nonce: 0n,
      mint: parseEther('1000'),
      value: 0n,
      gasLimit: 21_000n,
      isCreation: false,
      data: '0x',
      l1BlockHash: `0x${'11'.repeat(32)}`,
      l1BlockNumber: 1n,
      logIndex: 0,
    })
    await expect(node.request('eth_sendRawTransaction', [serializeDepositTransaction(forged)])).rejects.toMatchObject({
      code: -32000,
      message: expect.stringMatching(/transaction type not supported/),
    })
  })

  test('a fresh verifier re-derives every deposit from L1 + IPFS to the same state', async () => {
    const { batcher } = testBatcher(manifest, {
      node,
      kv,
      inbox,
      account: sequencer,
      ipfs: httpPinner(manifest.services.ipfsHttp!, { signer: sequencer }),
    })
    await node.flushed()
    await tickUntil(batcher, 'sent')
    await tickUntil(batcher, 'confirmed')
    const head = node.status().head
    for (const sources of [{ ipfsUrl: manifest.services.ipfsHttp }, { beaconUrl: manifest.l1.beaconUrl }]) {
      const result = await deriveChain({
        l1,
        inbox,
        chainId: BigInt(genesis.chainId),
        executor: await createReplayExecutor({ kv: memoryKv(), genesis }),
        bridge: {},
        ...sources,
      })
      expect(result.divergence).toBeUndefined()
      expect(result.head).toMatchObject({ number: head.number, hash: head.hash, stateRoot: head.stateRoot })
    }
  })
})

/**
 * An L1 contract that forwards its calldata and value to the portal: the portal sees a contract
 * caller (msg.sender ≠ tx.origin). Runtime: calldatacopy, call(gas, portal, callvalue, ...), revert on failure.
 */
async function deployForwarder(): Promise<Address> {
  const runtime = `365f5f375f5f365f3473${SEED_PORTAL.slice(2).toLowerCase()}5af115602557005b5f5ffd`
  // codecopy(0, 10, 41); return(0, 41)
  const init = `0x6029600a5f3960295ff3${runtime}` as Hex
  const receipt = await send(user, { data: init })
  return receipt.contractAddress!
}

describe('forced inclusion (a force window of seconds)', () => {
  const WINDOW = 15n

  test('a batch whose blocks leave a deposit older than the force window out is invalid', async () => {
    const chain = await bridgedChain(WINDOW)
    // A censoring sequencer: its view of L1 stops before the deposit, so its origin never moves past it.
    const frozen = await l1.getBlockNumber()
    const portal = portalDepositSource(l1, { inbox: chain.inbox })
    const censorKv = memoryKv()
    const censor = await createRollupNode({
      kv: censorKv,
      genesis: chain.genesis,
      blockTime: 0,
      deposits: { latestL1Block: async () => frozen, deposits: portal.deposits },
    })
    try {
      await send(user, await depositEth(l1, { inbox: chain.inbox, to: user.address, amount: parseEther('1') }))
      await sleep(Number(WINDOW + 1n) * 1000)
      await mineL1(1n)
      await censor.sealNow(true)
      await postAll(censor, censorKv, chain.inbox, chain.sequencer, true)
      const result = await derive(chain)
      expect(result.ok).toBe(false)
      expect(result.divergence).toMatchObject({ batchIndex: 0n, reason: expect.stringMatching(/force window/) })
    } finally {
      await censor.close()
    }
  }, 120_000)

  test('with the sequencer stopped, the user includes the deposit through the escape hatch', async () => {
    const chain = await bridgedChain(WINDOW)
    const feed = () => portalDepositSource(l1, { inbox: chain.inbox })
    // The sequencer includes a first deposit, posts it, and stops.
    const sequencerKv = memoryKv()
    const sequencerNode = await createRollupNode({
      kv: sequencerKv,
      genesis: chain.genesis,
      blockTime: 100,
      deposits: feed(),
    })
    const first = await send(user, await depositEth(l1, { inbox: chain.inbox, to: user.address, amount: 1n }))
    await depositOnL2(first, sequencerNode)
    await postAll(sequencerNode, sequencerKv, chain.inbox, chain.sequencer, true)
    await sequencerNode.close()

    const censored = await send(user, await depositEth(l1, { inbox: chain.inbox, to: user.address, amount: 2n }))
    const hatchOpen = () =>
      l1.readContract({ address: chain.inbox, abi: RollupInboxAbi, functionName: 'escapeHatchOpen' })
    for (let i = 0; !(await hatchOpen()); i++) {
      if (i > 90) throw new Error('the escape hatch never opened')
      await sleep(1000)
      await mineL1(1n)
    }
    await mineL1(L1_CONFIRMATION_DEPTH)

    // The user: derives the chain from L1 + IPFS into a node of their own, seals the block that
    // moves its origin past the deposit, and posts it (blobs only: nobody pins for them).
    const userKv = memoryKv()
    expect((await derive(chain, userKv)).ok).toBe(true)
    const userNode = await createRollupNode({ kv: userKv, genesis: chain.genesis, blockTime: 0, deposits: feed() })
    try {
      await userNode.sealNow(true)
      const { l2Hash } = depositOf(censored)
      expect(await userNode.request('eth_getTransactionReceipt', [l2Hash])).toMatchObject({ status: '0x1' })
      expect(await l2Balance(user.address, userNode)).toBe(3n)
      await postAll(userNode, userKv, chain.inbox, user, false)

      // Any verifier follows the escape-hatch batch like the sequencer's.
      const result = await derive(chain)
      expect(result.divergence).toBeUndefined()
      expect(result.batches).toBe(2)
      expect(result.head.stateRoot).toBe(userNode.status().head.stateRoot)
    } finally {
      await userNode.close()
    }
  }, 180_000)
})

describe('deposit gas per L2 block (SPEC §10.2)', () => {
  test('an L2 block that moves its origin past several L1 blocks runs all their deposits beyond its gas limit; a verifier agrees', async () => {
    const chain = await bridgedChain()
    const { maxDepositGasPerBlock } = await l1.readContract({
      address: SEED_PORTAL,
      abi: SeedPortalAbi,
      functionName: 'configOf',
      args: [chain.inbox],
    })
    const chainKv = memoryKv()
    // No block timer: blocks are sealed below, so one block catches up over every L1 block at once.
    const sequencerNode = await createRollupNode({
      kv: chainKv,
      genesis: chain.genesis,
      blockTime: 0,
      deposits: portalDepositSource(l1, { inbox: chain.inbox }),
    })
    try {
      await sequencerNode.sealNow(true) // the origin before the deposits
      // One deposit per L1 block, each buying the whole per-L1-block budget: a creation whose init code is
      // INVALID (0xfe), so it uses every unit of its gas.
      const l1Blocks = 4
      const deposit = encodeFunctionData({
        abi: SeedPortalAbi,
        functionName: 'depositTransaction',
        args: [chain.inbox, zeroAddress, 0n, maxDepositGasPerBlock, true, '0xfe'],
      })
      for (let i = 0; i < l1Blocks; i++) {
        const receipt = await send(user, { to: SEED_PORTAL, data: deposit, value: 1n })
        expect(receipt.gasUsed).toBeGreaterThan(maxDepositGasPerBlock) // the L2 gas is bought by burning L1 gas
      }
      await mineL1(L1_CONFIRMATION_DEPTH)
      const block = (await sequencerNode.sealNow(true))!
      const gasLimit = block.header.gasLimit
      expect(BigInt(l1Blocks) * maxDepositGasPerBlock).toBeGreaterThan(gasLimit)
      expect(block.transactions.length).toBe(l1Blocks)
      expect(block.transactions.every((raw) => raw[0] === 0x7e)).toBe(true)
      expect(block.header.gasUsed).toBe(BigInt(l1Blocks) * maxDepositGasPerBlock)
      // Nothing else fits after them: the next block's base fee answers their gas (SPEC §1.3).
      const next = (await sequencerNode.sealNow(true))!
      expect(next.header.baseFeePerGas).toBe(
        nextBaseFee({ gasUsed: block.header.gasUsed, gasLimit, baseFeePerGas: block.header.baseFeePerGas! }),
      )
      expect(next.header.baseFeePerGas).toBeGreaterThan(block.header.baseFeePerGas!)

      await postAll(sequencerNode, chainKv, chain.inbox, chain.sequencer, true)
      const result = await derive(chain)
      expect(result.divergence).toBeUndefined()
      expect(result.head).toMatchObject({ number: next.header.number, hash: next.hash })
    } finally {
      await sequencerNode.close()
    }
  }, 120_000)
})
