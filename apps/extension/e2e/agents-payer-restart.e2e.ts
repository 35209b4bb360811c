/**
 * The bounty payer cut off mid-payment (issue 17, decision 0802), in headless Chromium with the built
 * extension, the devnet and a real `seed-operator run`. The wallet posts a replica bounty, the operator joins;
 * the test stands between the wallet and the operator's HTTP face and lets the first voucher reach the
 * operator (which takes it and settles it on L1) but holds the operator's answer, so the wallet has the total
 * journaled and not delivered; then it kills the service worker. The restarted worker, woken by the keep-alive
 * alarm, must deliver the same total again, at once rather than an epoch later: never a doubled or a lower
 * one, one reservation settled for the epoch, one settlement on L1, and the Agents screen shows the epoch paid.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readBountySlot, SeedBountyEscrowAbi, seedBountyEscrow } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import { type Address, createPublicClient, createWalletClient, http, parseEther } from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { mintUsdOnL1 } from './agent-harness.ts'
import {
  type BountyOperator,
  postBounty,
  registerWalletAgent,
  replicaHead,
  startOperator,
  until,
} from './bounty-harness.ts'
import {
  buildForTest,
  createWallet,
  fireAlarmNow,
  launchWithExtension,
  openPopup,
  stopServiceWorkers,
} from './harness.ts'

const manifest = inject('manifest')
const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
const user = createWalletClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
const PRICE = 10_000n // 0.01 USDS
const EPOCH_SECONDS = 90

let browser: Browser & { extensionId: string }
let account: Address
let walletAgentId: bigint

beforeAll(async () => {
  browser = await launchWithExtension(await buildForTest(manifest))
  account = await createWallet(browser, 'correct horse battery')
  await l1.waitForTransactionReceipt({ hash: await user.sendTransaction({ to: account, value: parseEther('1') }) })
  await mintUsdOnL1(manifest, account, 10_000_000n)
  // The operator's replica follows the wallet's chain from the genesis its agent file names.
  walletAgentId = (await registerWalletAgent(browser, [{ name: 'rollup-rpc', endpoint: 'http://127.0.0.1:9/rpc' }]))
    .agentId
}, 300_000)

afterAll(async () => {
  await browser?.close()
})

/**
 * Stands in front of the operator's HTTP face: forwards everything, but the first voucher's answer, once the
 * operator gave it, never reaches the wallet. Every voucher total the wallet delivered is kept, in order.
 */
async function holdFirstVoucherAnswer() {
  let target = ''
  const totals: bigint[] = []
  let onHeld: (answer: number) => void = () => {}
  const held = new Promise<number>((resolve) => {
    onHeld = resolve
  })
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const forwarded = await fetch(new URL(req.url ?? '/', target), {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      ...(req.method === 'POST' ? { body } : {}),
    }).catch(() => undefined)
    if (req.url === '/voucher') {
      totals.push(BigInt(JSON.parse(body.toString()).cumulativeAmount))
      if (totals.length === 1) return onHeld(forwarded?.status ?? 0) // the wallet waits for an answer that never comes
    }
    if (!forwarded) return res.writeHead(502).end()
    res.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' })
    res.end(Buffer.from(await forwarded.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwardTo(port: number) {
      target = `http://127.0.0.1:${port}`
    },
    totals,
    held,
    close() {
      server.closeAllConnections()
      server.close()
    },
  }
}

/** What the wallet keeps in its local storage: the voucher journal of the slot, and the policy's ledger. */
async function walletState(page: Page, slot: string) {
  const all = await page.evaluate(() => chrome.storage.local.get(null))
  const journalKey = Object.keys(all).find((k) => k.endsWith('bountyVouchers'))
  const journal = (journalKey ? all[journalKey] : {}) as Record<string, { signed: string; delivered: string }>
  const ledger = (all.policyState as { ledger: { id: string; status: string; amounts: Record<string, string> }[] })
    .ledger
  return { journal: journal[slot], bountyEntries: ledger.filter((e) => e.id.startsWith('bounty:')) }
}

const swBoots = (page: Page) =>
  page.evaluate(async () => (await chrome.storage.session.get('swBoots')).swBoots as number)

describe('agents: the bounty payer survives a killed service worker', () => {
  test('killed with the voucher total journaled but not delivered: the restarted worker delivers the same total once, one reservation settled, one settlement', async () => {
    const escrow = seedBountyEscrow()
    const popup = await openPopup(browser, '/agents')
    // Epochs of 90 s: the journaled total must go out at the new worker's first ticks, well within one epoch.
    const bountyId = await postBounty(browser, popup, { price: '0.01', epochSeconds: EPOCH_SECONDS, funds: '1' })
    const proxy = await holdFirstVoucherAnswer()
    let operator: BountyOperator | undefined
    try {
      operator = await startOperator(manifest, { bountyId, walletAgentId, probeEndpoint: proxy.url })
      proxy.forwardTo(operator.port)
      const { agentId, lines } = operator
      const slotKey = `${bountyId}:${agentId}`
      const log = async () => `replica head ${await replicaHead(operator!.rpcPort)}\n${lines.slice(-10).join('\n')}`

      // Ticks until a probe passes and the first voucher is on its way: the operator took it (and settles it).
      let held: number | undefined
      void proxy.held.then((status) => {
        held = status
      })
      await until(
        async () => {
          if (held !== undefined) return true
          await fireAlarmNow(popup, 'rollup-keepalive')
          await new Promise((r) => setTimeout(r, 3000))
          return held !== undefined
        },
        EPOCH_SECONDS * 2_000, // a probe before the replica caught up misses: the next one is an epoch later
        async () =>
          `no voucher sent: ${await popup.locator('[data-testid="bounty-slot"]').textContent()}; ${await log()}`,
      )
      expect(held).toBe(200)
      expect(proxy.totals).toEqual([PRICE])
      // The wallet journaled the total before it signed, and has no answer: the point where the worker dies.
      expect((await walletState(popup, slotKey)).journal).toMatchObject({ signed: `${PRICE}`, delivered: '0' })
      const boots = await swBoots(popup)
      await stopServiceWorkers(popup)
      // The settlement lands before the new worker runs: a payer that trusted the chain over its journal would
      // now sign claimed + one price (a doubled total, a second reservation, a second settlement).
      await until(
        async () => ((await readBountySlot(l1, { escrow, bountyId, agentId }))?.claimed ?? 0n) === PRICE,
        90_000,
        async () => `the operator did not settle the voucher it took: ${await log()}`,
      )

      // The keep-alive alarm wakes a new worker: it delivers the journaled total at once (it is owed now, not when
      // the next epoch is due: that would pay every later epoch one epoch late), and the screen shows it paid.
      const slot = popup.locator(`[data-testid="bounty-slot"][data-agent-id="${agentId}"]`)
      await until(
        async () => {
          await fireAlarmNow(popup, 'rollup-keepalive')
          await new Promise((r) => setTimeout(r, 3000))
          return (await walletState(popup, slotKey)).journal?.delivered === `${PRICE}`
        },
        (EPOCH_SECONDS * 1000) / 2,
        async () => `the journaled voucher was never delivered: ${await slot.textContent()}; ${await log()}`,
      )
      expect(await swBoots(popup)).toBeGreaterThan(boots)
      await expect.poll(() => slot.getByTestId('bounty-slot-paid').textContent(), { timeout: 30_000 }).toBe('0.01')

      // The same total each time: not one price more (a second payment for the epoch), not less.
      expect(proxy.totals.length).toBeGreaterThanOrEqual(2)
      expect(new Set(proxy.totals)).toEqual(new Set([PRICE]))
      // One reservation for the epoch, settled; it adds nothing to the budget (the deposit met it at the post, 0802).
      const { journal, bountyEntries } = await walletState(popup, slotKey)
      expect(journal).toMatchObject({ signed: `${PRICE}`, delivered: `${PRICE}` })
      expect(bountyEntries).toHaveLength(1)
      expect(bountyEntries[0]).toMatchObject({ id: `bounty:${slotKey}:${PRICE}`, status: 'settled' })
      expect(bountyEntries[0]!.amounts).toEqual({})
      // The operator settled once: one EpochsPaid for the slot, of one price.
      const settlements = await l1.getContractEvents({
        address: escrow,
        abi: SeedBountyEscrowAbi,
        eventName: 'EpochsPaid',
        args: { bountyId, agentId },
        fromBlock: 0n,
        strict: true,
      })
      expect(settlements.map((e) => e.args.cumulativeAmount)).toEqual([PRICE])
      expect(lines.filter((l) => l.includes('"event":"voucher"'))).toHaveLength(1)
      await popup.close()
    } finally {
      await operator?.stop()
      proxy.close()
    }
  }, 600_000)
})
