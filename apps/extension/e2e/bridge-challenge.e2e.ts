/**
 * The wallet challenges a forged output of its own chain by itself (issue #15), in the real browser. Its chain is
 * registered with a 40 s force window (a build whose devnet names it: the shared devnet's on-demand L1 names a
 * day): the wallet batches, goes quiet, and once its inbox's escape hatch is open the rollup account withdraws;
 * while the Worker is down (offscreen document closed) another key posts the wallet's blocks — the withdrawal
 * among them — with a forged output root. The restarted Worker's output watch resumes from IndexedDB, re-derives
 * the batch from its blob and reports the mismatch; the keep-alive tick challenges it through the one pipeline
 * (the bond leaves the smart account, the challenge shows in Activity), and proving the withdrawal against that
 * output is refused before anything is signed. No time travel on the shared L1: an empty block is mined each
 * second so L1's clock shows real time (the hatch and the batches' origins are judged by it).
 */
import { getBridgeConfig, getOutputStatus, RollupInboxAbi } from '@seed/contracts'
import type { Manifest } from '@seed/devnet'
import { L2_TO_L1_MESSAGE_PASSER, memoryKv, outputRoot, type RollupNode } from '@seed/rollup-lite'
import { testBatcher, tickUntil } from '@seed/rollup-lite/testing'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import {
  type Address,
  formatEther,
  type Hex,
  keccak256,
  numberToHex,
  parseEther,
  type Signature,
  serializeTransaction,
  type TransactionSerializable,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import {
  closeOffscreen,
  fundOnL1,
  l1ClientFor,
  l2Request,
  sendL2Transfer,
  sleep,
  uiRequest,
} from './batching-harness.ts'
import {
  agentRollup,
  buildForTest,
  createWallet,
  fireAlarmNow,
  launchWithExtension,
  nextApprovalWindow,
  openPopup,
  screenshot,
} from './harness.ts'

const manifest = inject('manifest')
const PASSWORD = 'correct horse battery'
/** Long enough for the wallet's first batch to post its origin-0 blocks within it (SPEC §10.2 switch-over). */
const FORCE_WINDOW = 40
/** The message passer's storage root the forger claims: its output root commits to withdrawals that were never sent. */
const FORGED_PASSER_ROOT = `0x${'66'.repeat(32)}` as Hex
const l1 = l1ClientFor(manifest)

let browser: Browser & { extensionId: string }
let account: Address
let inbox: Address
let screen: Page
let mining: ReturnType<typeof setInterval> | undefined

const hatchOpen = () => l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'escapeHatchOpen' })
const inboxHead = () => l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'head' })

type RpcBlock = { number: Hex; hash: Hex; stateRoot: Hex; timestamp: Hex; extraData: Hex; transactions: RpcTx[] }
type RpcTx = {
  hash: Hex
  type: Hex
  chainId: Hex
  nonce: Hex
  to: Address | null
  value: Hex
  gas: Hex
  input: Hex
  gasPrice?: Hex
  maxFeePerGas?: Hex
  maxPriorityFeePerGas?: Hex
  accessList?: { address: Address; storageKeys: Hex[] }[]
  r: Hex
  s: Hex
  yParity?: Hex
  v: Hex
}

/** The signed bytes of an L2 tx as the wallet's node serves it (it has no raw-tx method). */
function rawOf(tx: RpcTx): Hex {
  const base = {
    chainId: Number(tx.chainId),
    nonce: Number(tx.nonce),
    to: tx.to ?? undefined,
    value: BigInt(tx.value),
    gas: BigInt(tx.gas),
    data: tx.input,
  }
  const unsigned: TransactionSerializable =
    tx.type === '0x2'
      ? {
          ...base,
          type: 'eip1559',
          maxFeePerGas: BigInt(tx.maxFeePerGas!),
          maxPriorityFeePerGas: BigInt(tx.maxPriorityFeePerGas!),
          accessList: tx.accessList ?? [],
        }
      : { ...base, type: 'legacy', gasPrice: BigInt(tx.gasPrice!) }
  const signature: Signature =
    tx.type === '0x2'
      ? { r: tx.r, s: tx.s, yParity: Number(tx.yParity ?? tx.v) }
      : { r: tx.r, s: tx.s, v: BigInt(tx.v) }
  const raw = serializeTransaction(unsigned, signature)
  if (keccak256(raw) !== tx.hash) throw new Error(`could not re-serialize L2 tx ${tx.hash}`)
  return raw
}

/** A block as rollup-lite's batcher reads it from its source. */
type SourceBlock = {
  hash: Hex
  stateRoot: Hex
  timestamp: bigint
  l1Origin?: bigint
  transactions: Hex[]
  messagePasserStorageRoot: () => Promise<Hex>
}
type WalletBlocks = { chainId: bigint; blocks: Map<bigint, SourceBlock>; head: bigint }

/**
 * The wallet's blocks from its last posted one to its head, as its node serves them (the forger copies them), and
 * the output root its chain really has at the head: what derivation gives.
 */
async function walletBlocksSinceInbox(): Promise<WalletBlocks & { real: Hex }> {
  const [, , posted] = await inboxHead()
  const head = BigInt(await l2Request(screen, 'eth_blockNumber'))
  const blocks = new Map<bigint, SourceBlock>()
  let last: RpcBlock | undefined
  for (let n = posted; n <= head; n++) {
    const b = (await l2Request<RpcBlock>(screen, 'eth_getBlockByNumber', [numberToHex(n), true]))!
    blocks.set(n, {
      hash: b.hash,
      stateRoot: b.stateRoot,
      timestamp: BigInt(b.timestamp),
      ...(n > 0n && b.extraData.length === 18 ? { l1Origin: BigInt(b.extraData) } : {}),
      // Deposits are not batched: derivation reads them from L1 by the block's origin.
      transactions: b.transactions.filter((t) => t.type !== '0x7e').map(rawOf),
      // The forgery: the output commits to a message passer holding withdrawals that were never sent.
      messagePasserStorageRoot: async () => FORGED_PASSER_ROOT,
    })
    last = b
  }
  const { storageHash } = await l2Request<{ storageHash: Hex }>(screen, 'eth_getProof', [
    L2_TO_L1_MESSAGE_PASSER,
    [],
    numberToHex(head),
  ])
  const real = outputRoot({ stateRoot: last!.stateRoot, blockHash: last!.hash, withdrawalStorageRoot: storageHash })
  return { chainId: BigInt(await l2Request(screen, 'eth_chainId')), blocks, head, real }
}

/**
 * Someone other than the sequencer posts the copied blocks through the open hatch, every block as the wallet sealed it,
 * with a forged output root: rollup-lite's batcher over the copied blocks. Returns the output's index and root.
 */
async function postForged({ chainId, blocks, head }: WalletBlocks): Promise<{ index: bigint; root: Hex }> {
  const forger = privateKeyToAccount(generatePrivateKey())
  await l1.request({ method: 'anvil_setBalance', params: [forger.address, numberToHex(parseEther('10'))] } as never)
  const { batcher, events } = testBatcher(manifest, {
    node: { chainId } as RollupNode,
    kv: memoryKv(),
    inbox,
    account: forger,
    ipfs: undefined, // blobs only: the IPFS peer pins for the inbox's sequencer alone
    source: { persistedHead: () => head, block: async (n) => blocks.get(n) },
  })
  await tickUntil(batcher, 'sent')
  await tickUntil(batcher, 'confirmed')
  const confirmed = events.find((e) => e.type === 'confirmed')
  if (confirmed?.type !== 'confirmed' || confirmed.lastBlock !== head) throw new Error('the forged batch did not post')
  const last = blocks.get(head)!
  const root = outputRoot({
    stateRoot: last.stateRoot,
    blockHash: last.hash,
    withdrawalStorageRoot: FORGED_PASSER_ROOT,
  })
  expect(await getOutputStatus(l1, { inbox, index: confirmed.index })).toMatchObject({ outputRoot: root })
  return { index: confirmed.index, root }
}

/** Withdraws from the rollup account through the Bridge screen; resolves once the block holding it is sealed. */
async function withdraw(amount: string) {
  const form = screen.getByRole('form', { name: 'Withdraw' })
  await form.getByLabel('Withdraw asset').selectOption('eth')
  await form.getByLabel('Withdraw amount').fill(amount)
  const approval = nextApprovalWindow(browser.context)
  await form.getByRole('button', { name: 'Withdraw' }).click()
  const page = await approval
  await page.getByRole('button', { name: 'Approve' }).click()
  await screen.getByTestId('withdraw-result').waitFor({ timeout: 60_000 })
}

/** What the Worker's output watch reports (the background's view of it). */
const outputs = () =>
  screen.evaluate(() => chrome.runtime.sendMessage({ seed: 1, to: 'offscreen', type: 'rollup:outputs' })) as Promise<{
    result: {
      watching: Address | null
      checkedThrough?: number
      mismatches: { index: number; outputRoot: Hex; derived?: Hex }[]
    }
  }>

beforeAll(async () => {
  const built = await buildForTest({ ...manifest, bridge: { forceWindow: FORCE_WINDOW } } as Manifest, {
    devRollupAccounts: true,
  })
  browser = await launchWithExtension(built)
  account = await createWallet(browser, PASSWORD)
  inbox = (await agentRollup(browser)).inbox
  await fundOnL1(manifest, account, parseEther('3'))
  // L1's clock must move with real time for the force window (evm_mine without a timestamp: no time travel).
  mining = setInterval(
    () => void l1.request({ method: 'evm_mine' as never, params: [] as never }).catch(() => {}),
    1000,
  )

  const rollup = await openPopup(browser, '/rollup')
  await rollup.getByRole('button', { name: 'Start batching to L1' }).click()
  await rollup.getByText('Inbox', { exact: true }).waitFor({ timeout: 60_000 })
  await rollup.close()

  screen = await openPopup(browser, '/bridge')
  await screen.setViewportSize({ width: 400, height: 900 })
  await screen.getByTestId('l1-balances').getByText('ETH').waitFor()
}, 240_000)

afterAll(async () => {
  clearInterval(mining)
  await browser?.close()
})

describe('Seed extension: the wallet challenges a forged output of its own chain', () => {
  test('its blocks posted by another key with a forged output root while its Worker is down: the restarted wallet challenges it with its bond; proving against it is refused', async () => {
    // The wallet's own batch (an L2 transfer) is honest: its watch checks it and finds nothing.
    await sendL2Transfer(screen, privateKeyToAccount(generatePrivateKey()).address)
    await expect.poll(async () => (await inboxHead())[0], { timeout: 90_000, interval: 1000 }).toBeGreaterThan(0n)
    await expect.poll(async () => (await outputs()).result.checkedThrough, { timeout: 60_000, interval: 1000 }).toBe(0)
    expect((await outputs()).result.mismatches).toEqual([])

    // Quiet for the force window: the hatch opens, anyone may post.
    await expect.poll(hatchOpen, { timeout: 120_000, interval: 1000 }).toBe(true)
    // The rollup account withdraws; its block is sealed, and the wallet's batcher waits up to 10 s for more.
    await withdraw('0.01')
    const { real, ...copied } = await walletBlocksSinceInbox()
    // Its Worker stops (Chrome closes the offscreen document) before batching them; meanwhile another key posts
    // those very blocks through the hatch with a forged output root.
    await closeOffscreen(browser)
    const { index: forged, root: forgedRoot } = await postForged(copied)
    // The keep-alive tick reopens the document: the new Worker's watch resumes from IndexedDB (the checkpoint of
    // the honest batch) and derives the batch posted while it was down.
    await fireAlarmNow(screen, 'rollup-keepalive')
    const withdrawal = screen.getByTestId('withdrawal').first()
    await withdrawal.waitFor({ timeout: 30_000 })
    const withdrawalHash = (await withdrawal.getAttribute('data-hash')) as Hex
    expect(await getOutputStatus(l1, { inbox, index: forged })).toMatchObject({ challenge: 'none' })
    const { challengeBond: bond } = (await getBridgeConfig(l1, { inbox }))!
    const l1Before = await l1.getBalance({ address: account })

    // The Worker re-derives it from its blob and reports the root the chain really has.
    await expect
      .poll(async () => (await outputs()).result.mismatches, { timeout: 60_000, interval: 1000 })
      .toEqual([expect.objectContaining({ index: Number(forged), outputRoot: forgedRoot })])
    expect((await outputs()).result.mismatches[0]!.derived).toBe(real)

    // The keep-alive tick challenges it (fired now: the 60 s challenge window does not wait for the 30 s period).
    await fireAlarmNow(screen, 'rollup-keepalive')
    await expect
      .poll(async () => (await getOutputStatus(l1, { inbox, index: forged }))?.challenge, {
        timeout: 60_000,
        interval: 1000,
      })
      .toBe('pending')
    const challenged = (await getOutputStatus(l1, { inbox, index: forged }))!
    expect(challenged.challenger?.toLowerCase()).toBe(account.toLowerCase())
    // The bond left the smart account (the portal takes exactly the bond), and Activity shows the challenge.
    expect(l1Before - (await l1.getBalance({ address: account }))).toBeGreaterThanOrEqual(bond)
    const activity = await uiRequest<{ origin: string; summary: string; status: string; hash?: Hex }[]>(
      screen,
      'ui:activity',
    )
    const entry = activity.find((a) => a.summary.startsWith(`Challenged output #${forged}`))
    expect(entry).toMatchObject({ origin: 'Seed', status: 'success' })
    expect(entry!.summary).toContain(`${formatEther(bond)} ETH bond`)
    const activityScreen = await openPopup(browser, '/activity')
    await activityScreen.getByText(`Challenged output #${forged}`).first().waitFor()
    await screenshot(activityScreen, 'bridge-challenge-activity')
    await activityScreen.close()

    // The withdrawal sits in the forged output: proving it is refused before any approval window opens.
    const { withdrawals } = await uiRequest(screen, 'ui:bridge')
    expect(withdrawals.find((w: { withdrawalHash: Hex }) => w.withdrawalHash === withdrawalHash)).toMatchObject({
      outputIndex: Number(forged),
    })
    const answer = uiRequest(screen, 'ui:bridgeProve', { withdrawalHash }).then(
      () => 'sent',
      (e: Error) => e.message,
    )
    const window = nextApprovalWindow(browser.context).then(
      () => 'an approval window opened to sign the proof',
      () => 'no window',
    )
    expect(await Promise.race([answer, window])).toMatch(new RegExp(`Output ${forged} is challenged`))
    await screen
      .locator(`[data-testid="withdrawal"][data-hash="${withdrawalHash}"][data-stage="challenged"]`)
      .waitFor({ timeout: 30_000 })
    await screenshot(screen, 'bridge-challenge-blocked')
    // One challenge, one bond: the next tick finds it challenged and sends nothing more.
    await fireAlarmNow(screen, 'rollup-keepalive')
    await sleep(5_000)
    const challenges = (await uiRequest<{ summary: string }[]>(screen, 'ui:activity')).filter((a) =>
      a.summary.startsWith('Challenged output'),
    )
    expect(challenges).toHaveLength(1)
  }, 600_000)
})
