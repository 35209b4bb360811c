/**
 * The embedded rollup batches (issue #5/#6, decision 0405): the agent's smart account creates its
 * own RollupInbox and funds a batcher EOA in one user op; the rollup Worker (offscreen document,
 * IndexedDB) posts blob batches to that inbox and pins them on the stack IPFS peer; `rollup-lite
 * verify` re-derives the extension's chain from L1 + IPFS. Closing the offscreen document or
 * restarting the browser between sequencing and batching never loses a batch nor posts one twice.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { RollupInboxAbi, RollupInboxFactoryAbi } from '@seed/contracts'
import { memoryKv } from '@seed/rollup-lite'
import {
  loadNodeCrypto,
  noSequencerRpc,
  type ReplicaEvent,
  startBlockGossip,
  startReplica,
  startRpcServer,
} from '@seed/rollup-lite/node'
import { launchChromium } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import { type Address, createPublicClient, type Hex, http, parseEther } from 'viem'
import { generatePrivateKey } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import type { GossipState } from '../src/rollup/block-gossip.ts'
import { embeddedGenesis, embeddedGenesisJson } from '../src/rollup/genesis.ts'
import {
  closeOffscreen as closeOffscreenOf,
  fundOnL1,
  importWallet as importWalletWith,
  inboxHeadOf,
  l2Request,
  sendL2Transfer as sendL2TransferFrom,
  sleep,
  waitForBatchCovering as waitForBatchCoveringIn,
} from './batching-harness.ts'
import { agentRollup, buildForTest, fireAlarmNow, launchWithExtension, openPopup, screenshot } from './harness.ts'

const manifest = inject('manifest')
const PASSWORD = 'correct horse battery'
/** Imported (not generated) so a second profile can import the same vault key. */
const OWNER_KEY = generatePrivateKey()
const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
const cli = join(
  dirname(createRequire(import.meta.url).resolve('@seed/rollup-lite/package.json')),
  'bin/rollup-lite.mjs',
)

let browser: Awaited<ReturnType<typeof launchWithExtension>>
let extensionPath: string
let profile: string | undefined
let account: Address
let inbox: Address
let batcher: Address
let rollup: Awaited<ReturnType<typeof agentRollup>>
/** An extension page: it talks to the offscreen document like the background does. */
let ext: Page

const importWallet = (b: typeof browser) => importWalletWith(b, OWNER_KEY, PASSWORD)
const l2 = <T = Hex>(method: string, params: unknown[] = []) => l2Request<T>(ext, method, params)
const sendL2Transfer = (to: Address) => sendL2TransferFrom(ext, to)
const inboxHead = () => inboxHeadOf(manifest, inbox)
const waitForBatchCovering = (block: bigint, timeoutMs?: number) =>
  waitForBatchCoveringIn(manifest, inbox, block, timeoutMs)

const batchesPosted = () =>
  l1.getContractEvents({ address: inbox, abi: RollupInboxAbi, eventName: 'BatchPosted', fromBlock: 0n })

/** Every blob tx the batcher ever sent is an accepted batch: nothing posted twice, not even a reverted duplicate. */
async function expectEachBatchPostedOnce() {
  const [count] = await inboxHead()
  expect(await l1.getTransactionCount({ address: batcher })).toBe(Number(count))
  const events = await batchesPosted()
  expect(events.map((e) => e.args.index)).toEqual([...Array(Number(count)).keys()].map(BigInt))
}

const closeOffscreen = () => closeOffscreenOf(browser)

/** `rollup-lite verify` with the extension's genesis against the agent's inbox; `sources` picks blobs and/or IPFS. */
async function verifyFromL1AndIpfs(sources: 'blobs' | 'ipfs' | 'both' = 'both') {
  const genesisFile = join(mkdtempSync(join(tmpdir(), 'seed-ext-genesis-')), 'genesis.json')
  writeFileSync(
    genesisFile,
    JSON.stringify(
      embeddedGenesisJson({
        chainId: rollup.chainId,
        inbox,
        funded: [rollup.account, ...Object.values(manifest.accounts)],
      }),
    ),
  )
  const { stdout } = await promisify(execFile)(process.execPath, [
    cli,
    'verify',
    '--l1',
    manifest.l1.rpcUrl,
    '--inbox',
    inbox,
    '--genesis',
    genesisFile,
    '--beacon',
    sources === 'ipfs' ? 'none' : manifest.l1.beaconUrl,
    ...(sources === 'blobs' ? ['--no-ipfs'] : ['--ipfs', manifest.services.ipfsHttp!]),
  ])
  rmSync(dirname(genesisFile), { recursive: true, force: true })
  return JSON.parse(stdout) as { ok: boolean; batches: number; head: { number: string; stateRoot: string } }
}

beforeAll(async () => {
  extensionPath = await buildForTest(manifest, { devRollupAccounts: true })
  browser = await launchWithExtension(extensionPath)
  account = await importWallet(browser)
  rollup = await agentRollup(browser)
  await fundOnL1(manifest, account) // the smart account pays for the user op and the batcher's funding
  ext = await openPopup(browser, '/sites') // polls nothing: it must not reopen a closed offscreen document
})

afterAll(async () => {
  await browser?.close()
  if (profile) rmSync(profile, { recursive: true, force: true })
})

describe('Seed extension: the embedded rollup batches to its own inbox', () => {
  test('one user op creates the agent inbox (owner = smart account) and funds its batcher EOA', async () => {
    const popup = await openPopup(browser, '/rollup')
    await popup.setViewportSize({ width: 380, height: 640 })
    await popup.getByText('none posted yet').waitFor()
    await popup.getByRole('button', { name: 'Start batching to L1' }).click()
    await popup.getByText('Inbox', { exact: true }).waitFor({ timeout: 60_000 })

    inbox = await l1.readContract({
      address: manifest.contracts.rollupInboxFactory,
      abi: RollupInboxFactoryAbi,
      functionName: 'inboxOf',
      args: [account],
    })
    expect(inbox).not.toBe(manifest.contracts.rollupInbox) // not the stack peer's inbox
    expect(await popup.locator(`code[title="${inbox}"]`).count()).toBe(1)
    expect(await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'owner' })).toBe(account)
    batcher = await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'sequencer' })
    expect(await popup.locator(`code[title="${batcher}"]`).count()).toBe(1)
    expect(await l1.getBalance({ address: batcher })).toBe(parseEther('0.05'))
    await popup.close()

    // At rest the setup holds the batcher key only sealed (AES-GCM under a non-extractable device key).
    const stored = await ext.evaluate(
      (chainId) =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open(`seed-rollup-${chainId}`)
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const get = open.result.transaction('kv').objectStore('kv').get('extension/batcher-setup')
            get.onsuccess = () => resolve(new TextDecoder().decode(get.result as Uint8Array))
          }
        }),
      rollup.chainId,
    )
    const setup = JSON.parse(stored) as { privateKey?: string; sealedKey?: { iv: string; data: string } }
    expect(setup.privateKey).toBeUndefined()
    expect(setup.sealedKey?.data).toMatch(/^0x[0-9a-f]{96}$/) // 32-byte key + 16-byte GCM tag
  })

  test('L2 txs → a blob batch on the agent inbox and the IPFS peer → rollup-lite verify re-derives the chain', async () => {
    const recipient = '0x00000000000000000000000000000000000ba7c1'
    let block = 0n
    for (let i = 0; i < 3; i++) block = await sendL2Transfer(recipient)
    await waitForBatchCovering(block)

    const [posted] = (await batchesPosted()).filter((e) => e.args.lastBlock! >= block)
    expect(posted).toBeDefined()
    const blobTx = await l1.getTransaction({ hash: posted!.transactionHash })
    expect(blobTx.type).toBe('eip4844')
    expect(blobTx.from.toLowerCase()).toBe(batcher.toLowerCase())
    expect(blobTx.blobVersionedHashes).toEqual(posted!.args.blobHashes)

    // The rollup screen shows the batch the Worker saw confirmed, with its blob tx and CID.
    const popup = await openPopup(browser, '/rollup')
    await popup.setViewportSize({ width: 380, height: 700 })
    await popup.locator(`code[title="${posted!.transactionHash}"]`).waitFor({ timeout: 15_000 })
    const cid = (await popup.locator('code[title^="bafk"]').getAttribute('title'))!
    await popup
      .getByText(`#${posted!.args.index} · blocks #${posted!.args.firstBlock}–#${posted!.args.lastBlock}`)
      .waitFor()
    await screenshot(popup, 'rollup-batching')
    await popup.close()

    // The same channel bytes are on the IPFS peer under the CID the inbox committed to.
    const pinned = await fetch(`${manifest.services.ipfsHttp}/ipfs/${cid}`)
    expect(pinned.status).toBe(200)
    expect((await pinned.arrayBuffer()).byteLength).toBeGreaterThan(0)
    // It went there from the Worker's own Helia node over libp2p (decision 0421), not the HTTP fallback.
    const batching = (await ext.evaluate(() =>
      chrome.runtime.sendMessage({ seed: 1, to: 'offscreen', type: 'rollup:batching' }),
    )) as { result: { lastPin?: { via: string; error?: string } } }
    expect(batching.result.lastPin).toMatchObject({ via: 'libp2p' })

    const activity = await openPopup(browser, '/activity')
    await activity.setViewportSize({ width: 380, height: 700 })
    await activity.getByText(`Batch #${posted!.args.index}: L2 blocks`).waitFor({ timeout: 15_000 })
    await screenshot(activity, 'activity-batches')
    await activity.close()

    // Re-derived from blobs alone and from IPFS alone: both sources hold the whole chain. The three
    // verifier runs only read L1 and IPFS, so they run side by side.
    const [fromBlobs, fromIpfs, summary] = await Promise.all([
      verifyFromL1AndIpfs('blobs'),
      verifyFromL1AndIpfs('ipfs'),
      verifyFromL1AndIpfs('both'),
    ])
    const batches = Number((await inboxHead())[0])
    expect(fromBlobs).toMatchObject({ ok: true, batches })
    expect(fromIpfs).toMatchObject({ ok: true, batches })
    expect(summary.ok).toBe(true)
    const derived = await l2<{ stateRoot: Hex }>('eth_getBlockByNumber', [
      `0x${BigInt(summary.head.number).toString(16)}`,
      false,
    ])
    expect(summary.head.stateRoot).toBe(derived.stateRoot)
    expect(BigInt(summary.head.number)).toBeGreaterThanOrEqual(block)
    await expectEachBatchPostedOnce()
  })

  test('replicas (issue 17): the Worker gossips its blocks to a replica the agent adds, which serves them before their batch lands', async () => {
    const genesis = embeddedGenesis({
      chainId: rollup.chainId,
      inbox,
      funded: [rollup.account, ...Object.values(manifest.accounts)],
    })
    const gossip = await startBlockGossip({ chainId: BigInt(rollup.chainId), listen: ['/ip4/127.0.0.1/tcp/0/ws'] })
    const events: ReplicaEvent[] = []
    const replica = await startReplica({
      kv: memoryKv(),
      genesis,
      crypto: await loadNodeCrypto(),
      l1,
      inbox,
      beaconUrl: manifest.l1.beaconUrl,
      ipfsUrl: manifest.services.ipfsHttp,
      forward: noSequencerRpc,
      gossip,
      pollMs: 500,
      onEvent: (e) => events.push(e),
    })
    const server = await startRpcServer(replica.chain.rpc, { port: 0 })
    const popup = await openPopup(browser, '/rollup')
    try {
      await popup.setViewportSize({ width: 380, height: 900 })
      await popup.getByPlaceholder('http://127.0.0.1:8647').fill(server.url)
      await popup.getByPlaceholder('/ip4/127.0.0.1/tcp/9101/ws/p2p/…').fill(gossip.multiaddrs()[0]!)
      await popup.getByRole('button', { name: 'Add replica' }).click()
      // The Worker (which has the batcher key since batching started) dials the replica it was given.
      const workerGossip = async () =>
        (
          (await ext.evaluate(() =>
            chrome.runtime.sendMessage({ seed: 1, to: 'offscreen', type: 'rollup:gossip' }),
          )) as { result: GossipState }
        ).result
      for (const deadline = Date.now() + 30_000; ; await sleep(200)) {
        const state = await workerGossip()
        if (state.enabled && state.topicPeers > 0) break
        if (Date.now() > deadline) throw new Error(`the Worker never joined the replica: ${JSON.stringify(state)}`)
      }
      // The chain's earlier blocks reach the replica from L1 + IPFS (the batcher posts within 10 s).
      const earlier = BigInt(await l2('eth_blockNumber'))
      for (const deadline = Date.now() + 60_000; replica.chain.head().header.number < earlier; await sleep(200)) {
        if (Date.now() > deadline)
          throw new Error(
            `the replica never derived the earlier blocks: ${JSON.stringify(events.slice(-3), (_k, v) => (typeof v === 'bigint' ? `${v}` : v))}`,
          )
      }
      const gossiped = (n: bigint) => events.some((e) => e.type === 'unsafe' && e.number >= n)
      const block = await sendL2Transfer('0x00000000000000000000000000000000000ba7c2')
      for (const deadline = Date.now() + 15_000; !gossiped(block); await sleep(100)) {
        if (Date.now() > deadline) {
          throw new Error(
            `the transfer block never reached the replica by gossip: ${JSON.stringify(await workerGossip())}`,
          )
        }
      }
      // Served by the replica as the wallet's node has it, before or without its batch.
      const hex = `0x${block.toString(16)}`
      const served = (await (
        await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getBlockByNumber', params: [hex, false] }),
        })
      ).json()) as { result: { hash: Hex } }
      expect(served.result.hash).toBe((await l2<{ hash: Hex }>('eth_getBlockByNumber', [hex, false])).hash)
      // The Rollup screen lists it, probed against the local head.
      await popup
        .locator('[data-testid="replica"][data-agrees="true"]', { hasText: `in sync · head #${block}` })
        .waitFor({ timeout: 20_000 })
      await screenshot(popup, 'rollup-replicas')
      // Removed again (the next tests restart the browser): the Worker stops dialling it.
      await popup.getByRole('button', { name: 'Remove' }).click()
      await popup.getByText('No replicas yet.').waitFor()
    } finally {
      await popup.close()
      await server.close()
      await gossip.stop()
      await replica.close()
    }
  })

  test('closing the offscreen document between sequencing and batching: it comes back by itself, the batch posts exactly once', async () => {
    const block = await sendL2Transfer('0x00000000000000000000000000000000000ba7c2')
    await closeOffscreen()
    const [countAtClose, , lastAtClose] = await inboxHead()
    expect(lastAtClose).toBeLessThan(block) // sequenced and on disk, not yet batched
    await sleep(3_000) // nothing runs while the document is closed
    expect((await inboxHead())[0]).toBe(countAtClose)

    // Nobody asks for the rollup: the background's keep-alive alarm reopens the document (its tick
    // fired now rather than in up to 30 s).
    await fireAlarmNow(ext, 'rollup-keepalive')
    await waitForBatchCovering(block, 90_000)
    await sleep(5_000) // a few more batcher ticks: nothing is re-posted
    await expectEachBatchPostedOnce()

    // Closed again right after the batcher broadcast its blob tx: the new Worker finds the
    // batch in IndexedDB, sees the inbox accepted it, and records it without a second post.
    const nonce = await l1.getTransactionCount({ address: batcher })
    const next = await sendL2Transfer('0x00000000000000000000000000000000000ba7c3')
    while ((await l1.getTransactionCount({ address: batcher, blockTag: 'pending' })) === nonce) await sleep(50)
    await closeOffscreen()
    const reopened = await openPopup(browser, '/rollup')
    const count = await waitForBatchCovering(next)
    await reopened.getByText(`#${Number(count) - 1} · blocks`).waitFor({ timeout: 30_000 })
    await reopened.close()
    await expectEachBatchPostedOnce()
  }, 180_000)

  test('after a browser restart (wallet locked) the Worker resumes batching from IndexedDB', async () => {
    const userDataDir = browser.userDataDir
    await browser.close({ keepProfile: true })
    profile = userDataDir
    browser = (await launchChromium({ extensionPath, userDataDir })) as typeof browser
    ext = await openPopup(browser, '/sites') // polls nothing: it must not reopen a closed offscreen document
    const background = async (type: string) => {
      const reply = await ext.evaluate((t) => chrome.runtime.sendMessage({ seed: 1, to: 'background', type: t }), type)
      return (reply as { result: any }).result
    }
    // chrome.storage.session (the unlocked owner key) did not survive; the batcher setup did.
    expect(await background('ui:state')).toMatchObject({ unlocked: false })
    await expect.poll(async () => (await background('ui:rollup'))?.batching?.inbox, { timeout: 30_000 }).toBe(inbox)

    const block = await sendL2Transfer('0x00000000000000000000000000000000000ba7c4')
    await waitForBatchCovering(block)
    await expectEachBatchPostedOnce()
    const summary = await verifyFromL1AndIpfs()
    expect(summary.ok).toBe(true)
    expect(BigInt(summary.head.number)).toBeGreaterThanOrEqual(block)
  })

  test('the same vault imported into a fresh profile cannot continue the inbox with its new, different chain', async () => {
    const other = (await launchWithExtension(extensionPath)) as typeof browser
    try {
      expect(await importWallet(other)).toBe(account) // same owner key → same smart account → same inbox
      const [count] = await inboxHead()
      const popup = await openPopup(other, '/rollup')
      await popup.getByRole('button', { name: 'Start batching to L1' }).click()
      await popup.getByText(`already holds ${count} batches`).waitFor({ timeout: 30_000 })
      expect((await inboxHead())[0]).toBe(count)
      await expectEachBatchPostedOnce()
    } finally {
      await other.close()
    }
  })
})
