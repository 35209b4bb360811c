/**
 * The Worker's output watch on the devnet (decision 0702): the agent's chain starts before its inbox (origin 0),
 * gets its inbox and bridge config, includes a deposit and batches honestly; then its sequencer goes quiet, the escape hatch opens
 * and someone posts the next batch with a forged output root. The watch re-derives both batches from L1 and
 * reports the forged one — and only it — with the root the chain really has, which the background challenges
 * through the pipeline. Real seconds pass for the hatch (a 30 s force window): no time travel on the shared L1.
 * The watch is restarted in between (as a Worker is): the forged batch is posted while it is down, and the
 * restarted watch derives it from its saved checkpoint, never the honest batch again.
 */

import {
  BRIDGE_CONFIG_PRESETS,
  depositEth,
  RollupInboxAbi,
  RollupInboxFactoryAbi,
  registerBridgeConfig,
} from '@seed/contracts'
import {
  createRollupNode,
  deferredDepositSource,
  type KV,
  type KvOp,
  memoryKv,
  nodeMessagePasserStorageRoot,
  type OutputVerdict,
  outputRoot,
  portalDepositSource,
  type RollupNode,
} from '@seed/rollup-lite'
import { l1Clients, makeL2Blocks, testBatcher, testGenesis, tickUntil } from '@seed/rollup-lite/testing'
import type {} from '@seed/testkit/global-setup'
import {
  type Address,
  decodeFunctionData,
  encodeFunctionData,
  type Hex,
  type LocalAccount,
  numberToHex,
  parseEther,
} from 'viem'
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { expect, inject, test } from 'vitest'
import { ownOutputWatcher } from './output-watch.ts'

const manifest = inject('manifest')
const { publicClient: l1, owner: wallet } = l1Clients(manifest)
const factory = manifest.contracts.rollupInboxFactory
/** Long enough for the first batch to post its origin-0 blocks within it (SPEC §10.2 switch-over). */
const FORCE_WINDOW = 30n
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function freshL1Account(): Promise<PrivateKeyAccount> {
  const account = privateKeyToAccount(generatePrivateKey())
  await l1.request({ method: 'anvil_setBalance', params: [account.address, numberToHex(parseEther('100'))] } as never)
  return account
}

async function send(from: PrivateKeyAccount, call: { to: Address; data: Hex; value?: bigint }) {
  const receipt = await l1.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ ...call, account: from }) })
  if (receipt.status !== 'success') throw new Error(`L1 call reverted: ${receipt.transactionHash}`)
}

/** `account`, except that every `postBatch` it signs claims `root` as the output. */
function forging(account: PrivateKeyAccount, root: Hex): LocalAccount {
  return {
    ...account,
    signTransaction(tx, options) {
      if (!tx.data) return account.signTransaction(tx, options)
      const { args } = decodeFunctionData({ abi: RollupInboxAbi, data: tx.data })
      const [index, parent, first, last, , cid] = args as readonly [bigint, Hex, bigint, bigint, Hex, Hex]
      const data = encodeFunctionData({
        abi: RollupInboxAbi,
        functionName: 'postBatch',
        args: [index, parent, first, last, root, cid],
      })
      return account.signTransaction({ ...tx, data } as typeof tx, options)
    },
  }
}

/** The L2 blocks a derivation executor stored among `ops` (rollup-lite's key layout: `b:` + 16 hex digits). */
const blocksIn = (ops: KvOp[]) =>
  ops.flatMap((op) => {
    const n = op.key.match(/\/b:([0-9a-f]{16})$/)?.[1]
    return n ? [BigInt(`0x${n}`)] : []
  })

async function pollUntilMismatch(watcher: { poll(): Promise<void>; verdicts: OutputVerdict[] }) {
  for (let i = 0; i < 10 && !watcher.verdicts.some((v) => v.verdict === 'mismatch'); i++) {
    await watcher.poll()
    await sleep(500)
  }
}

async function ourOutput(node: RollupNode, block: bigint): Promise<Hex> {
  const sealed = (await node.block(block))!
  return outputRoot({
    stateRoot: sealed.header.stateRoot,
    blockHash: sealed.hash,
    withdrawalStorageRoot: await nodeMessagePasserStorageRoot(node, block),
  })
}

test('an output forged through the escape hatch while the watch was down is reported after its restart, with the root the chain has; the honest one is not re-derived', async () => {
  const owner = await freshL1Account()
  const sequencer = await freshL1Account()
  const attacker = await freshL1Account()
  const predict = (functionName: 'predictInbox' | 'predictChainId') =>
    l1.readContract({
      address: factory,
      abi: RollupInboxFactoryAbi,
      functionName,
      args: [owner.address, sequencer.address],
    })
  const inbox = (await predict('predictInbox')) as Address
  const genesis = testGenesis({}, Number(await predict('predictChainId')))
  // The Worker's IndexedDB for the watch, outliving each watcher; `written` lists what was committed to it.
  const written: KvOp[] = []
  const store = memoryKv()
  const watchKv: KV = {
    get: (key) => store.get(key),
    batch: (ops) => {
      written.push(...ops)
      return store.batch(ops)
    },
    close: () => store.close(),
  }
  const watch = async () => {
    const verdicts: OutputVerdict[] = []
    const watcher = await ownOutputWatcher(
      watchKv,
      { l1, inbox, beaconUrl: manifest.l1.beaconUrl, ipfsUrl: manifest.services.ipfsHttp },
      genesis,
      (v) => verdicts.push(v),
    )
    return Object.assign(watcher, { verdicts, mismatches: () => verdicts.filter((v) => v.verdict === 'mismatch') })
  }
  const feed = deferredDepositSource()
  const kv = memoryKv()
  const node = await createRollupNode({ kv, genesis, blockTime: 100, deposits: feed })
  try {
    // The wallet's order: blocks at origin 0, then the inbox and its config, then the feed and the batcher.
    await makeL2Blocks(node, 4, 2)
    await send(owner, {
      to: factory,
      data: encodeFunctionData({ abi: RollupInboxFactoryAbi, functionName: 'createInbox', args: [sequencer.address] }),
    })
    const guardian = privateKeyToAccount(generatePrivateKey()).address
    const config = { ...BRIDGE_CONFIG_PRESETS.devnet, forceWindow: FORCE_WINDOW, guardians: [guardian], threshold: 1n }
    await send(owner, registerBridgeConfig({ inbox, config }))
    feed.attach(portalDepositSource(l1, { inbox }))
    // A deposit in the honest batch: the watch must replay it from the portal to reproduce that output.
    const depositor = await freshL1Account()
    const depositCall = await depositEth(l1, { inbox, to: depositor.address, amount: parseEther('1') })
    await send(depositor, depositCall)
    await l1.request({ method: 'anvil_mine', params: ['0x2'] } as never)
    for (let i = 0; BigInt((await node.request('eth_getBalance', [depositor.address, 'latest'])) as Hex) === 0n; i++) {
      if (i > 100) throw new Error('the deposit never reached L2')
      await sleep(100)
    }
    // Blobs only (as the forger below): derivation reads the beacon API.
    const honest = testBatcher(manifest, { node, kv, inbox, account: sequencer, ipfs: undefined })
    await tickUntil(honest.batcher, 'sent')
    await tickUntil(honest.batcher, 'confirmed')

    // The wallet's watch checks the honest batch and saves where it stands.
    const firstWatch = await watch()
    for (let i = 0; i < 10 && !firstWatch.checked(0n); i++) {
      await firstWatch.poll()
      if (!firstWatch.checked(0n)) await sleep(500)
    }
    await firstWatch.save()
    written.length = 0

    // The sequencer goes quiet; once the hatch opens, someone posts the next block with a forged output root.
    const hatchOpen = () => l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'escapeHatchOpen' })
    for (let i = 0; !(await hatchOpen()); i++) {
      if (i > 90) throw new Error('the escape hatch never opened')
      await sleep(1000)
      await l1.request({ method: 'anvil_mine', params: ['0x1'] } as never)
    }
    await l1.request({ method: 'anvil_mine', params: ['0x2'] } as never)
    await makeL2Blocks(node, 2, 1, 1) // a recent origin: the batch meets the force window
    const forgedRoot = `0x${'66'.repeat(32)}` as Hex
    // Blobs only: the IPFS peer pins for the inbox's sequencer, not for whoever uses the hatch.
    const forger = testBatcher(manifest, {
      node,
      kv: memoryKv(),
      inbox,
      account: forging(attacker, forgedRoot),
      ipfs: undefined,
    })
    await tickUntil(forger.batcher, 'sent')
    await tickUntil(forger.batcher, 'confirmed')
    const last = node.status().head.number

    // The wallet's first watch checked the honest batch before the forged one was posted, and then its Worker stopped.
    expect(firstWatch.checkpoint().checked).toEqual([[0n, expect.objectContaining({ ok: true })]])
    const honestLast = firstWatch.checkpoint().batches[0]!.lastBlock

    // A Worker killed mid-poll: it found the forged output but never committed; what it derived is not kept.
    const killed = await watch()
    await pollUntilMismatch(killed)
    expect(killed.mismatches()).toEqual([
      expect.objectContaining({
        verdict: 'mismatch',
        index: 1n,
        outputRoot: forgedRoot,
        derived: await ourOutput(node, last),
      }),
    ])
    // Restarted: it resumes at the last commit, derives only the batch posted since and finds the same forgery.
    const restarted = await watch()
    await pollUntilMismatch(restarted)
    expect(restarted.mismatches()).toEqual(killed.mismatches())
    expect(restarted.checked(0n)).toMatchObject({ ok: true })
    await restarted.save()
    // Neither re-executed a block of the honest batch (nor wrote a genesis): only the forged batch's blocks.
    const blocksWritten = blocksIn(written)
    expect(blocksWritten.length).toBeGreaterThan(0)
    expect(blocksWritten.every((n) => n > honestLast && n <= last)).toBe(true)

    // Restarted once more: nothing new on L1, nothing derived or reported again.
    written.length = 0
    const again = await watch()
    await again.poll()
    await again.save()
    expect(again.verdicts).toEqual([])
    expect(blocksIn(written)).toEqual([])
  } finally {
    await node.close()
  }
}, 180_000)
