/**
 * Extension figures (headless Chromium + the built extension + a fresh devnet):
 *   ext.size_kb          built extension folder size
 *   ext.cold_start_ms    Chromium launch → first provider answer on a page (service worker started)
 *   ext.provider_rtt_ms  eth_chainId from the page (page → content → background → page), p50
 *   ext.l2_receipt_ms    page submits a signed L2 tx → receipt from the rollup Worker, p50
 * Run: `tsx apps/extension/bench/ext.bench.ts` (logs on stderr, JSON lines on stdout).
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { devAccount, startStack } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import type { Page } from 'playwright-core'
import { type Hex, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import type { Dapp } from '../e2e/dapp/dapp.ts'
import {
  agentRollup,
  approveNextRequest,
  buildForTest,
  createWallet,
  launchWithExtension,
  serveDapp,
} from '../e2e/harness.ts'
import { switchToRollup } from '../e2e/rollup-dapp.ts'

declare global {
  interface Window {
    dapp: Dapp
  }
}

const RTT_SAMPLES = 200
const L2_SAMPLES = 15

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, e) => sum + (e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  )
}

const stack = await startStack({ manifestPath: false })
const { url, server } = await serveDapp()
try {
  const extensionPath = await buildForTest(stack.manifest, { devRollupAccounts: true })
  emit({ bench: 'ext.size_kb', value: round(folderBytes(extensionPath) / 1024, 1), unit: 'KiB', env: 'chromium' })

  const launched = performance.now()
  const browser = await launchWithExtension(extensionPath)
  try {
    const page: Page = await browser.context.newPage()
    await page.goto(url)
    await page.waitForFunction(() => window.dapp.wallets().length > 0)
    await page.evaluate(() => window.dapp.request('eth_chainId'))
    emit({
      bench: 'ext.cold_start_ms',
      value: round(performance.now() - launched),
      unit: 'ms',
      env: 'chromium',
      notes: 'Chromium launch with the extension → first eth_chainId answered on a page',
    })

    const rtts = await page.evaluate(async (n) => {
      const provider = window.dapp
      for (let i = 0; i < 20; i++) await provider.request('eth_chainId')
      const samples: number[] = []
      for (let i = 0; i < n; i++) {
        const t = performance.now()
        await provider.request('eth_chainId')
        samples.push(performance.now() - t)
      }
      return samples
    }, RTT_SAMPLES)
    const rtt = stats(rtts)
    emit({ bench: 'ext.provider_rtt_ms', value: round(rtt.p50, 3), unit: 'ms', env: 'chromium', ...rtt })

    // L2: the page submits signed transfers through the wallet and polls the receipt (no approval UI in the loop).
    // The agent's rollup exists once its wallet does; only a connected page reaches it, after the
    // user approved the switch once (decision 0426).
    await createWallet(browser, 'bench password')
    await approveNextRequest(browser.context, () => page.evaluate(() => window.dapp.connect()))
    const rollupChainId = (await agentRollup(browser)).chainId
    await switchToRollup(page, browser.context, rollupChainId)
    const funder = devAccount('user')
    const rpc = async (method: string, params: unknown[] = []) => {
      const answer = await page.evaluate(([m, p]) => window.dapp.request(m as string, p as unknown[]), [method, params])
      if (!answer.ok) throw new Error(`${method}: ${answer.message}`)
      return answer.value as Hex
    }
    const gasPrice = BigInt(await rpc('eth_gasPrice'))
    let nonce = Number(await rpc('eth_getTransactionCount', [funder.address, 'pending']))
    const samples: number[] = []
    for (let i = 0; i < L2_SAMPLES + 2; i++) {
      const raw = await funder.signTransaction({
        chainId: rollupChainId,
        type: 'eip1559',
        nonce: nonce++,
        to: privateKeyToAccount(generatePrivateKey()).address,
        value: parseEther('0.001'),
        gas: 21_000n,
        maxFeePerGas: gasPrice * 2n,
        maxPriorityFeePerGas: 0n,
      })
      const ms = await page.evaluate(async (signed) => {
        const t = performance.now()
        const sent = await window.dapp.request('eth_sendRawTransaction', [signed])
        if (!sent.ok) throw new Error(sent.message)
        await window.dapp.waitForReceipt(sent.value as `0x${string}`)
        return performance.now() - t
      }, raw)
      if (i >= 2) samples.push(ms)
    }
    const l2 = stats(samples)
    emit({
      bench: 'ext.l2_receipt_ms',
      value: round(l2.p50),
      unit: 'ms',
      env: 'chromium',
      ...l2,
      notes: 'pre-signed transfer submitted from the page, receipt polled through the wallet every 100 ms',
    })
  } finally {
    await browser.close()
  }
} catch (error) {
  log(error)
  process.exitCode = 1
} finally {
  server.close()
  await stack.stop()
}
