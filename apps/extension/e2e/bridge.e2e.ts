/**
 * The wallet's bridge through its own screens (issue 15): the smart account deposits ETH and Seed USD into the
 * agent's embedded rollup; the rollup account withdraws, the wallet proves the withdrawal on L1 once the
 * embedded batcher has posted an output covering it (the node's eth_getProof), the devnet's 60 s challenge
 * window is waited out in real time (no time travel: every e2e file shares this L1; an empty block is mined each
 * second so L1's clock shows the time), and the finalization pays the smart account on L1. Each step is a send
 * the approval window shows; replays, a double finalize and a finalize inside the window are refused; the
 * withdrawal's record and stage survive a stopped service worker.
 *
 * The last test needs deposits to reach the embedded chain (its Worker's deposit feed: the `embed` work).
 */
import type { Server } from 'node:http'
import {
  BRIDGE_CONFIG_PRESETS,
  challengeOutput,
  getBridgeConfig,
  L1_STANDARD_BRIDGE,
  registerBridgeConfig,
  SEED_PORTAL,
  SeedPortalAbi,
} from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import { type Address, createWalletClient, erc20Abi, type Hex, http, parseEther, parseUnits, toHex } from 'viem'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { mintUsdOnL1 } from './agent-harness.ts'
import { fundOnL1, l1ClientFor, sleep, uiRequest } from './batching-harness.ts'
import { finished, openConsole, startScript } from './console-harness.ts'
import {
  agentRollup,
  approveNextRequest,
  buildForTest,
  createWallet,
  launchWithExtension,
  nextApprovalWindow,
  openPopup,
  screenshot,
  serveDapp,
  stopServiceWorkers,
} from './harness.ts'
import './rollup-dapp.ts'

const manifest = inject('manifest')
const PASSWORD = 'correct horse battery'
const l1 = l1ClientFor(manifest)
const usd = manifest.contracts.usd
const DEPOSIT_ETH = '0.5'
const DEPOSIT_USD = '20'
const WITHDRAW_ETH = '0.2'
const WITHDRAW_USD = '5'
/** Every user op's fee together stays far below this on the devnet. */
const FEE_ALLOWANCE = parseEther('0.01')

let browser: Browser & { extensionId: string }
let dappServer: Server
let account: Address
let inbox: Address
/** The Bridge screen, open for the whole file (it polls the background every 3 s). */
let screen: Page

const usdOf = (owner: Address) =>
  l1.readContract({ address: usd, abi: erc20Abi, functionName: 'balanceOf', args: [owner] })
const ethEscrow = () =>
  l1.readContract({ address: SEED_PORTAL, abi: SeedPortalAbi, functionName: 'ethEscrow', args: [inbox] })

/**
 * Presses a button of the Bridge screen that sends, and approves the send in the window it opens, once the window
 * shows what the send is (`shows`: the decoded call, e.g. the portal's function).
 */
async function approveClick(button: ReturnType<Page['getByRole']>, shows?: string) {
  const approval = nextApprovalWindow(browser.context)
  await button.click()
  const page = await approval
  await page.setViewportSize({ width: 400, height: 640 })
  await page.getByRole('button', { name: 'Approve' }).waitFor()
  if (shows) {
    await page.getByText('Seed · Bridge').first().waitFor()
    await page.getByText(shows).first().waitFor()
  }
  await page.getByRole('button', { name: 'Approve' }).click()
}

const SHOWN = {
  Deposit: { eth: 'depositTransaction', usd: 'depositERC20' },
  Withdraw: { eth: 'initiateWithdrawal', usd: 'withdrawTo' },
}

async function transfer(kind: 'Deposit' | 'Withdraw', asset: 'eth' | 'usd', amount: string) {
  const form = screen.getByRole('form', { name: kind })
  await form.getByLabel(`${kind} asset`).selectOption(asset)
  await form.getByLabel(`${kind} amount`).fill(amount)
  await approveClick(form.getByRole('button', { name: kind }), SHOWN[kind][asset])
  const result = screen.getByTestId(`${kind.toLowerCase()}-result`)
  await result.waitFor({ timeout: 90_000 })
  const text = (await result.textContent()) ?? ''
  expect(await result.getAttribute('class')).not.toContain('error')
  return text
}

/** The withdrawal's row once it reaches `stage` (the screen polls; an empty L1 block each second moves L1's clock). */
async function row(hash: Hex, stage: string, timeout = 90_000) {
  const locator = screen.locator(`[data-testid="withdrawal"][data-hash="${hash}"][data-stage="${stage}"]`)
  const deadline = Date.now() + timeout
  while (!(await locator.count())) {
    if (Date.now() > deadline) {
      const now = await screen.locator(`[data-testid="withdrawal"][data-hash="${hash}"]`).getAttribute('data-stage')
      throw new Error(`withdrawal ${hash} did not reach ${stage} within ${timeout} ms (it is ${now})`)
    }
    await l1.request({ method: 'evm_mine' as never, params: [] as never })
    await sleep(1_000)
  }
  return locator
}

/** The hashes of the withdrawals the screen lists now. */
const listedWithdrawals = async () =>
  new Set(await screen.getByTestId('withdrawal').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-hash'))))

/**
 * Withdraws `amount` through the screen and returns the new withdrawal's hash, once the screen lists it (it polls:
 * right after the send the list may still show only the earlier ones).
 */
async function withdraw(asset: 'eth' | 'usd', amount: string): Promise<Hex> {
  const before = await listedWithdrawals()
  await transfer('Withdraw', asset, amount)
  let added: Hex | undefined
  await expect
    .poll(
      async () => {
        added = [...(await listedWithdrawals())].find((hash) => hash && !before.has(hash)) as Hex | undefined
        return added
      },
      { timeout: 30_000 },
    )
    .toBeDefined()
  return added!
}

/** Withdraw → prove → wait out the window → finalize, through the screen; returns the finalized row. */
async function withdrawProveFinalize(asset: 'eth' | 'usd', amount: string, checks?: (hash: Hex) => Promise<void>) {
  const hash = await withdraw(asset, amount)
  const posted = await row(hash, 'output-posted')
  await approveClick(posted.getByRole('button', { name: 'Prove on L1' }), 'proveWithdrawal')
  const proven = await row(hash, 'proven')
  await expect.poll(() => proven.getByTestId('countdown').textContent()).toMatch(/window closes in \d+:\d\d/)
  await checks?.(hash)
  const ready = await row(hash, 'finalizable', 120_000)
  await approveClick(ready.getByRole('button', { name: 'Finalize' }), 'finalizeWithdrawal')
  return { hash, row: await row(hash, 'finalized') }
}

beforeAll(async () => {
  browser = await launchWithExtension(await buildForTest(manifest))
  account = await createWallet(browser, PASSWORD)
  inbox = (await agentRollup(browser)).inbox
  await fundOnL1(manifest, account, parseEther('3'))
  await mintUsdOnL1(manifest, account, parseUnits('100', 6))

  const rollup = await openPopup(browser, '/rollup')
  await rollup.getByRole('button', { name: 'Start batching to L1' }).click()
  await rollup.getByText('Inbox', { exact: true }).waitFor({ timeout: 60_000 })
  await rollup.close()

  // The chain's bridge config, registered by its owner (the smart account) through the wallet like any send,
  // unless the wallet already registered it when batching started.
  if (!(await getBridgeConfig(l1, { inbox }))) {
    const served = await serveDapp()
    dappServer = served.server
    const dapp = await browser.context.newPage()
    await dapp.goto(served.url)
    await dapp.waitForFunction(() => window.dapp.wallets().length > 0)
    await approveNextRequest(browser.context, () => dapp.evaluate(() => window.dapp.connect()))
    const call = registerBridgeConfig({
      inbox,
      config: {
        ...BRIDGE_CONFIG_PRESETS.devnet,
        guardians: [privateKeyToAddress(generatePrivateKey())],
        threshold: 1n,
      },
    })
    const sent = (await approveNextRequest(browser.context, () =>
      dapp.evaluate((tx) => window.dapp.request('eth_sendTransaction', [tx]), {
        from: account,
        to: call.to,
        data: call.data,
        value: toHex(call.value),
      }),
    )) as { ok: boolean; message?: string }
    expect(sent).toMatchObject({ ok: true })
    await dapp.close()
  }
  expect(await getBridgeConfig(l1, { inbox })).not.toBeNull()

  screen = await openPopup(browser, '/bridge')
  await screen.setViewportSize({ width: 400, height: 900 })
  await screen.getByTestId('l1-balances').getByText('ETH').waitFor()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  dappServer?.close()
})

describe('Seed extension: the bridge between the smart account and its rollup', () => {
  test('deposits ETH and Seed USD from the smart account: they leave L1 into the chain’s escrow', async () => {
    const [escrowBefore, usdBefore, bridgeUsdBefore] = await Promise.all([
      ethEscrow(),
      usdOf(account),
      usdOf(L1_STANDARD_BRIDGE),
    ])
    expect(await transfer('Deposit', 'eth', DEPOSIT_ETH)).toMatch(/^Deposited: L1 tx 0x/)
    expect(await ethEscrow()).toBe(escrowBefore + parseEther(DEPOSIT_ETH))

    await transfer('Deposit', 'usd', DEPOSIT_USD)
    expect(await usdOf(account)).toBe(usdBefore - parseUnits(DEPOSIT_USD, 6))
    expect(await usdOf(L1_STANDARD_BRIDGE)).toBe(bridgeUsdBefore + parseUnits(DEPOSIT_USD, 6))
    await screenshot(screen, 'bridge-deposited')
    // The devnet mines on demand: the Worker's node takes an L1 block as origin once 2 blocks follow it.
    await l1.request({ method: 'anvil_mine', params: ['0x2'] } as never)

    // The policy priced what left: the ETH value, and the Seed USD approval the deposit always carries.
    const policy = await uiRequest<{ spentTodayEth: string; spentTodayUsd: string }>(screen, 'ui:policy')
    expect(Number(policy.spentTodayEth)).toBeGreaterThanOrEqual(Number(DEPOSIT_ETH))
    expect(policy.spentTodayUsd).toBe(DEPOSIT_USD)
    // Both deposits went through the pipeline as sends the person approved, and Activity says so.
    const activity = await uiRequest<{ origin: string; summary: string; status: string }[]>(screen, 'ui:activity')
    expect(
      activity.filter((a) => a.origin === 'Seed · Bridge' && a.status === 'success').length,
    ).toBeGreaterThanOrEqual(2)
  })

  test('withdraws ETH, proves it, waits out the 60 s window, finalizes: the L1 balance grows; replays are refused', async () => {
    // The rollup account's ETH: its genesis funding in a dev build, the deposit where deposits reach the chain.
    await expect
      .poll(async () => Number((await uiRequest(screen, 'ui:bridge')).balances.rollup?.eth ?? 0), { timeout: 90_000 })
      .toBeGreaterThan(Number(WITHDRAW_ETH))
    const l1Before = await l1.getBalance({ address: account })
    let finalizeStart = 0n
    const { hash, row: done } = await withdrawProveFinalize('eth', WITHDRAW_ETH, async (hash) => {
      await screenshot(screen, 'bridge-proven-countdown')
      // Proven: a second proof and a finalize inside the window are refused before anything is signed.
      await expect(uiRequest(screen, 'ui:bridgeProve', { withdrawalHash: hash })).rejects.toThrow(/already-proven/)
      await expect(uiRequest(screen, 'ui:bridgeFinalize', { withdrawalHash: hash })).rejects.toThrow(
        /challenge-window-open/,
      )
      // The record and its stage outlive the service worker.
      await stopServiceWorkers(screen)
      await screen.reload()
      await row(hash, 'proven')
      finalizeStart = await l1.getBalance({ address: account })
    })
    await screenshot(screen, 'bridge-finalized')
    for (const stage of ['initiated', 'output-posted', 'proven', 'finalizable', 'finalized'])
      expect(await done.getByTestId(`stage-${stage}`).getAttribute('data-done')).toBe('true')

    // The L1 balance grew by the withdrawal, less the finalize op's fee.
    const after = await l1.getBalance({ address: account })
    expect(after - finalizeStart).toBeGreaterThan(parseEther(WITHDRAW_ETH) - FEE_ALLOWANCE)
    expect(after - l1Before).toBeGreaterThan(parseEther(WITHDRAW_ETH) - 2n * FEE_ALLOWANCE)
    // Finalized once: a second finalize and a replayed proof are refused.
    await expect(uiRequest(screen, 'ui:bridgeFinalize', { withdrawalHash: hash })).rejects.toThrow(/already-finalized/)
    await expect(uiRequest(screen, 'ui:bridgeProve', { withdrawalHash: hash })).rejects.toThrow(/already-finalized/)

    // The console's API sees the same withdrawal and gets the same refusal.
    const panel = await openConsole(browser)
    const status = await startScript(
      panel,
      `return (await bridge.status()).find((w) => w.withdrawalHash === '${hash}')`,
    )
    expect(await finished(panel, status)).toBe('ok')
    expect(await panel.getByTestId('run-result').textContent()).toContain('"stage": "finalized"')
    const again = await startScript(panel, `await bridge.finalize({ withdrawalHash: '${hash}' })`)
    expect(await finished(panel, again)).toBe('error')
    expect(await panel.getByTestId('run-error').textContent()).toMatch(/already-finalized/)
    await panel.close()
  }, 360_000)

  test('a withdrawal whose output is challenged is not proven: refused before signing, shown blocked', async () => {
    const hash = await withdraw('eth', '0.01')
    await row(hash, 'output-posted')
    const { outputIndex } = (await uiRequest(screen, 'ui:bridge')).withdrawals.find(
      (w: { withdrawalHash: Hex }) => w.withdrawalHash === hash,
    )
    // Anyone may challenge an output within its window, with the chain's bond.
    const challenger = createWalletClient({
      chain: foundry,
      transport: http(manifest.l1.rpcUrl),
      account: devAccount('user'),
    })
    const challenge = await challengeOutput(l1, { inbox, index: BigInt(outputIndex) })
    await l1.waitForTransactionReceipt({ hash: await challenger.sendTransaction(challenge) })

    // Refused at once: no approval window asks to sign a proof against it.
    const answer = uiRequest(screen, 'ui:bridgeProve', { withdrawalHash: hash }).then(
      () => 'sent',
      (e: Error) => e.message,
    )
    const window = nextApprovalWindow(browser.context).then(
      () => 'an approval window opened to sign the proof',
      () => 'no window',
    )
    expect(await Promise.race([answer, window])).toMatch(/Output \d+ is challenged/)
    const blocked = await row(hash, 'challenged')
    await blocked.getByText('Output challenged').waitFor()
    expect(await blocked.getByRole('button', { name: 'Prove on L1' }).count()).toBe(0)
    expect(
      (
        await l1.readContract({
          address: SEED_PORTAL,
          abi: SeedPortalAbi,
          functionName: 'provenWithdrawal',
          args: [inbox, hash],
        })
      ).provenAt,
    ).toBe(0n)
  }, 180_000)

  test('the Seed USD deposit reaches the rollup account as its twin; withdrawn and finalized, it is back on L1', async () => {
    // Needs deposits on the embedded chain (the Worker's deposit feed). If it never arrives, say where the feed is.
    await expect
      .poll(async () => (await uiRequest(screen, 'ui:bridge')).balances.rollup?.usd, { timeout: 90_000 })
      .toBe(DEPOSIT_USD)
      .catch(async (error: Error) => {
        const feed = await screen.evaluate(() =>
          chrome.runtime.sendMessage({ seed: 1, to: 'offscreen', type: 'rollup:deposits', payload: undefined }),
        )
        throw new Error(
          `${error.message}\nthe Worker's deposit feed: ${JSON.stringify(feed)}, L1 head ${await l1.getBlockNumber()}`,
        )
      })
    const usdBefore = await usdOf(account)
    await withdrawProveFinalize('usd', WITHDRAW_USD)
    expect(await usdOf(account)).toBe(usdBefore + parseUnits(WITHDRAW_USD, 6))
    await expect
      .poll(async () => (await uiRequest(screen, 'ui:bridge')).balances.rollup?.usd)
      .toBe(String(Number(DEPOSIT_USD) - Number(WITHDRAW_USD)))
  }, 360_000)
})
