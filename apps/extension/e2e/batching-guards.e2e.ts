/**
 * Guardrails around the embedded rollup's batching (decisions 0415-0417): "Start batching to L1" is a
 * send under the wallet policy; the batcher's blob gas is topped up automatically, within policy and
 * only while unlocked, once per shortfall; a batch posted on L1 whose record a killed Worker never
 * wrote is back in the list after the Worker restarts.
 */
import { BRIDGE_CONFIG_PRESETS, RollupInboxAbi, RollupInboxFactoryAbi } from '@seed/contracts'
import type {} from '@seed/testkit/global-setup'
import { CID } from 'multiformats/cid'
import type { Page } from 'playwright-core'
import { type Address, formatEther, type Hex, hexToBytes, parseEther, toHex, zeroAddress } from 'viem'
import { entryPoint07Abi, entryPoint07Address } from 'viem/account-abstraction'
import { generatePrivateKey } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import {
  BATCHER_FUNDING,
  BATCHER_LOW_BALANCE,
  BLOB_POST_MAX_COST,
} from '../src/background/rollup/batcher-topup-plan.ts'
import type { PostedBatch } from '../src/rollup/worker-api.ts'
import {
  closeOffscreen,
  fundOnL1,
  importWallet,
  l1ClientFor,
  sendL2Transfer,
  uiRequest,
  waitForBatchCovering,
} from './batching-harness.ts'
import {
  agentRollup,
  buildForTest,
  fireAlarmNow,
  launchWithExtension,
  openPopup,
  screenshot,
  setPolicy as setPolicyAs,
  stopServiceWorkers,
} from './harness.ts'

const manifest = inject('manifest')
/** What "Start batching" sends from the account: the batcher's funding and the bridge's proposer bond (decision 0702). */
const SETUP_VALUE = BATCHER_FUNDING + BRIDGE_CONFIG_PRESETS.devnet.challengeBond
const PASSWORD = 'correct horse battery'
const l1 = l1ClientFor(manifest)

let browser: Awaited<ReturnType<typeof launchWithExtension>>
let account: Address
let inbox: Address
let batcher: Address
/** An extension page that polls nothing (it must not reopen a closed offscreen document). */
let ext: Page
let rollupChainId: number

/** Changes the policy in the settings screen like a user. */
const setPolicy = async (change: (popup: Page) => Promise<void>) => (await setPolicyAs(browser, change)).close()

/** Waits for text on a popup screen (they poll the background every 2-3 s). */
async function seeOn(screen: string, text: string | RegExp) {
  const popup = await openPopup(browser, screen)
  await popup.setViewportSize({ width: 380, height: 760 })
  await popup.getByText(text).first().waitFor({ timeout: 30_000 })
  return popup
}

const userOpsOfAccount = () =>
  l1.getContractEvents({
    address: entryPoint07Address,
    abi: entryPoint07Abi,
    eventName: 'UserOperationEvent',
    args: { sender: account },
    fromBlock: 0n,
  })

const inboxOf = () =>
  l1.readContract({
    address: manifest.contracts.rollupInboxFactory,
    abi: RollupInboxFactoryAbi,
    functionName: 'inboxOf',
    args: [account],
  })

/** The rollup keep-alive alarm (background/rollup/rollup.ts): its tick runs the batcher top-up check. */
const KEEPALIVE_ALARM = 'rollup-keepalive'
const tickKeepAlive = () => fireAlarmNow(ext, KEEPALIVE_ALARM)

/**
 * The background's last top-up check (written on the keep-alive alarm's tick): the test waits on it,
 * not on time. Until a check finished after `after` with that outcome, the alarm is fired now rather
 * than in up to 30 s.
 */
async function waitForTopUpCheck(after: number, outcome: string) {
  const read = () =>
    ext.evaluate(() => chrome.storage.local.get('batcherTopUpCheck').then((r) => r.batcherTopUpCheck)) as Promise<
      { at: number; outcome: string } | undefined
    >
  await expect
    .poll(
      async () => {
        const check = await read()
        const latest = (check?.at ?? 0) > after ? check?.outcome : undefined
        if (latest !== outcome) await tickKeepAlive()
        return latest
      },
      { timeout: 90_000, interval: 1_000 },
    )
    .toBe(outcome)
}

const topUpJournal = () =>
  ext.evaluate(() => chrome.storage.local.get('batcherTopUp').then((r) => r.batcherTopUp)) as Promise<
    { amount: string; status: string; userOpHash: Hex } | undefined
  >

/** The Worker's batch log, as the rollup screen and activity list read it. */
async function batchLog(): Promise<PostedBatch[]> {
  const reply = (await ext.evaluate(() =>
    chrome.runtime.sendMessage({ seed: 1, to: 'offscreen', type: 'rollup:batching' }),
  )) as { result?: { batches?: PostedBatch[] } } | undefined
  return reply?.result?.batches ?? []
}

beforeAll(async () => {
  browser = await launchWithExtension(await buildForTest(manifest, { devRollupAccounts: true }))
  account = await importWallet(browser, generatePrivateKey(), PASSWORD)
  rollupChainId = (await agentRollup(browser)).chainId
  await fundOnL1(manifest, account)
  ext = await openPopup(browser, '/sites')
})

afterAll(async () => {
  await browser?.close()
})

describe('Seed extension: batching guardrails', () => {
  test('"Start batching to L1" is a send: the kill switch refuses it; allowed, its funding and bond count against the 24 h budget', async () => {
    await setPolicy((p) => p.getByLabel('Kill switch').check())
    const balance = await l1.getBalance({ address: account })
    const rollup = await openPopup(browser, '/rollup')
    await rollup.getByRole('button', { name: 'Start batching to L1' }).click()
    await rollup.getByText("Batching not started. Blocked by the wallet's policy: Kill switch on").waitFor()
    await screenshot(rollup, 'rollup-batching-refused')
    await rollup.close()
    expect(await inboxOf()).toBe(zeroAddress)
    expect(await l1.getBalance({ address: account })).toBe(balance)
    expect(await userOpsOfAccount()).toHaveLength(0)
    await (await seeOn('/activity', 'Refused to start batching')).close()

    // Allowed under a 0.08 ETH daily budget (the later top-up test needs it nearly spent).
    await setPolicy(async (p) => {
      await p.getByLabel('Kill switch').uncheck()
      await p.getByLabel('Max ETH per 24 h').fill('0.08')
    })
    const retry = await openPopup(browser, '/rollup')
    await retry.getByRole('button', { name: 'Start batching to L1' }).click()
    await retry.getByText('Inbox', { exact: true }).waitFor({ timeout: 60_000 })
    await retry.close()
    inbox = await inboxOf()
    batcher = await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'sequencer' })
    expect(await l1.getBalance({ address: batcher })).toBe(BATCHER_FUNDING)
    await (await seeOn('/settings', `Spent in the last 24 h: ${formatEther(SETUP_VALUE)} ETH`)).close()
    await (
      await seeOn('/activity', 'Created the rollup inbox, funded the batcher and registered the bridge config')
    ).close()
  })

  test('a batch on L1 whose record the Worker lost is back in the list after the Worker restarts', async () => {
    const block = await sendL2Transfer(ext, '0x00000000000000000000000000000000000ba7d1')
    const count = Number(await waitForBatchCovering(manifest, inbox, block))
    await expect.poll(async () => (await batchLog()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(count)

    // The Worker dies before writing its records: close it, then drop them from IndexedDB.
    const worker = browser.context.serviceWorkers()[0]!
    do {
      await closeOffscreen(browser)
      await ext.evaluate(
        (chainId) =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open(`seed-rollup-${chainId}`)
            open.onerror = () => reject(open.error)
            open.onsuccess = () => {
              const tx = open.result.transaction('kv', 'readwrite')
              tx.objectStore('kv').put(new TextEncoder().encode('[]'), 'extension/batches')
              tx.oncomplete = () => resolve()
              tx.onerror = () => reject(tx.error)
            }
          }),
        rollupChainId,
      )
      // The keep-alive alarm may have reopened the document meanwhile: then do it again.
    } while (await worker.evaluate(() => chrome.offscreen.hasDocument()))
    // Opening the activity list asks the background, which reopens the document: a new Worker starts.

    const posted = (
      await l1.getContractEvents({ address: inbox, abi: RollupInboxAbi, eventName: 'BatchPosted', fromBlock: 0n })
    ).slice(0, count)
    const first = posted[0]!
    const activity = await seeOn('/activity', `Batch #0: L2 blocks #${first.args.firstBlock}–#${first.args.lastBlock}`)
    await activity.close()
    const log = await batchLog()
    // The threshold's premise (decision 0416): a real post costs no more than BLOB_POST_MAX_COST.
    const receipt = await l1.getTransactionReceipt({ hash: first.transactionHash })
    const cost =
      receipt.gasUsed * receipt.effectiveGasPrice + (receipt.blobGasUsed ?? 0n) * (receipt.blobGasPrice ?? 0n)
    console.error(JSON.stringify({ blobPostCostWei: cost.toString(), maxCostWei: BLOB_POST_MAX_COST.toString() }))
    expect(cost).toBeLessThanOrEqual(BLOB_POST_MAX_COST)
    for (const e of posted) {
      expect(log.find((b) => b.index === Number(e.args.index))).toMatchObject({
        firstBlock: Number(e.args.firstBlock),
        lastBlock: Number(e.args.lastBlock),
        blobTxHash: e.transactionHash,
        cid: CID.decode(hexToBytes(e.args.cid!)).toString(),
      })
    }
  })

  test('batcher low on ETH: refused by the budget, waits while locked; allowed, exactly one top-up across a worker restart', async () => {
    // The batcher spent its blob gas (set on the devnet: posting down to it would take hours).
    const low = parseEther('0.002')
    await l1.request({ method: 'anvil_setBalance', params: [batcher, toHex(low)] } as never)
    const refusedAt = Date.now()
    const rollup = await seeOn('/rollup', 'Batcher low on ETH: top-up refused by policy (Budget:')
    await screenshot(rollup, 'rollup-topup-refused')
    await rollup.close()
    await waitForTopUpCheck(refusedAt, 'refused') // the alarm ran and sent nothing
    expect(await userOpsOfAccount()).toHaveLength(1) // the inbox creation only
    expect(await l1.getBalance({ address: batcher })).toBeLessThanOrEqual(low)

    await uiRequest(ext, 'ui:lock')
    const lockedAt = Date.now()
    await (await seeOn('/', 'Batcher low on ETH: top-up waits for unlock')).close()
    await waitForTopUpCheck(lockedAt, 'locked')
    expect(await userOpsOfAccount()).toHaveLength(1)

    // Allowed, but the worker is stopped while the top-up's bundle waits in the mempool: the next
    // worker finishes the journaled op instead of signing a second top-up.
    await uiRequest(ext, 'ui:unlock', { password: PASSWORD })
    await l1.request({ method: 'evm_setAutomine', params: [false] } as never)
    let journal: { amount: string; status: string; userOpHash: Hex } | undefined
    try {
      await setPolicy((p) => p.getByLabel('Max ETH per 24 h').fill('5'))
      await tickKeepAlive()
      await expect
        .poll(
          async () => {
            journal = await topUpJournal()
            return journal?.status
          },
          { timeout: 90_000 },
        )
        .toBe('submitted')
      await stopServiceWorkers(ext)
    } finally {
      await l1.request({ method: 'evm_setAutomine', params: [true] } as never)
      await l1.request({ method: 'evm_mine', params: [] } as never)
    }
    await tickKeepAlive() // wakes the stopped worker, which finishes the journaled op at start
    await expect.poll(async () => (await topUpJournal())?.status, { timeout: 120_000 }).toBe('confirmed')
    expect((await topUpJournal())?.userOpHash).toBe(journal!.userOpHash)
    expect(await l1.getBalance({ address: batcher })).toBeGreaterThanOrEqual(BATCHER_LOW_BALANCE)
    const amount = formatEther(BigInt(journal!.amount))
    const screen = await seeOn('/rollup', `${Number(amount).toFixed(4)} ETH · confirmed`)
    await screenshot(screen, 'rollup-topup')
    expect(await screen.getByText('Batcher low on ETH').count()).toBe(0)
    await screen.close()
    await (await seeOn('/activity', `Topped up the rollup batcher with ${amount} ETH`)).close()
    const spent = formatEther(SETUP_VALUE + BigInt(journal!.amount))
    await (await seeOn('/settings', `Spent in the last 24 h: ${spent} ETH`)).close()

    // Later checks find the balance restored: still one top-up for this shortfall.
    await waitForTopUpCheck(Date.now(), 'enough')
    const ops = await userOpsOfAccount()
    expect(ops).toHaveLength(2)
    expect(ops[1]!.args.userOpHash).toBe(journal!.userOpHash)
  }, 420_000)
})
