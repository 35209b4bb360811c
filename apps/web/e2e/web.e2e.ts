/**
 * The web app against the devnet with real traffic made here (a rollup ETH transfer, a Seed USD
 * transfer, an x402 settlement, the batch that carries them), in headless Debian Chromium.
 * Screenshots of every page at 360 px and 1280 px go to apps/web/test-results/.
 */
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { RollupInboxFactoryAbi } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import { launchChromium } from '@seed/testkit/chromium'
import type { Page } from 'playwright-core'
import { createPublicClient, createWalletClient, defineChain, http, parseEther, parseEventLogs } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { startWebApp } from '../server.ts'
import { bridgedChain, postedBounty, type RegisteredAgent, registerAgent } from './l1-fixtures.ts'
import { makeTraffic, rollupClients, type Traffic, waitForBatch } from './traffic.ts'

const manifest = inject('manifest')
const SCREENSHOTS = join(import.meta.dirname, '..', 'test-results')
let web: Awaited<ReturnType<typeof startWebApp>>
let browser: Awaited<ReturnType<typeof launchChromium>>
let traffic: Traffic & { batch: bigint }
let agent: RegisteredAgent
let bridged: Awaited<ReturnType<typeof bridgedChain>>
let deposit: Awaited<ReturnType<typeof bridged.deposit>>
let bounty: Awaited<ReturnType<typeof postedBounty>>

/**
 * The L1 side: an agent with its file, proofs and reviews, serving a replica of the devnet's chain for a
 * bounty it joined and was paid an epoch of; an agent chain with a bridge and a deposit.
 */
async function l1State() {
  agent = await registerAgent(manifest, `web-suite-${Date.now()}`)
  bounty = await postedBounty(manifest, agent)
  bridged = await bridgedChain(manifest)
  deposit = await bridged.deposit(parseEther('0.05'))
}

beforeAll(async () => {
  const [started, launched, made] = await Promise.all([
    startWebApp(manifest),
    launchChromium(),
    makeTraffic(manifest),
    l1State(),
  ])
  ;[web, browser] = [started, launched]
  traffic = { ...made, batch: await waitForBatch(manifest, made.lastBlock) }
  mkdirSync(SCREENSHOTS, { recursive: true })
})
afterAll(async () => {
  await browser?.close()
  await web?.close()
})

async function open(path: string, width = 1280) {
  const page = await browser.context.newPage()
  await page.setViewportSize({ width, height: 900 })
  await page.goto(`${web.url}${path}`)
  return page
}

const h1 = (page: Page) => page.locator('main h1').first()

test('the overview shows both heads, the sequencer and charts with points from the traffic and its batch', async () => {
  const page = await open('')
  await expect.poll(() => page.locator('#l1-head a').textContent(), { timeout: 20_000 }).toMatch(/^#\d+$/)
  await expect.poll(() => page.locator('#l2-head a').textContent(), { timeout: 20_000 }).toMatch(/^#\d+$/)
  await expect.poll(() => page.locator('#sequencer').textContent(), { timeout: 20_000 }).toMatch(/up · open block/)
  for (const title of [
    'L2 transactions per second',
    'Batch cost on L1',
    'L1 bytes per L2 transaction',
    'Blob fill',
    'Time from L2 block to L1 inclusion',
  ]) {
    const chart = page.locator('figure.chart', { hasText: title })
    await expect
      .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 20_000 })
      .toBeGreaterThan(0)
    // The numbers are there in words too, for screen readers and narrow screens.
    expect(await chart.locator('.chart-canvas').getAttribute('aria-label')).toMatch(/latest .* over \d+ points/)
  }
  await page.close()
})

test('a new rollup head appears without a reload', async () => {
  const page = await open('')
  const head = page.locator('#l2-head a')
  await expect.poll(() => head.textContent(), { timeout: 20_000 }).toMatch(/^#\d+$/)
  const before = Number((await head.textContent())!.slice(1))
  await page.evaluate(() => {
    ;(window as { notReloaded?: boolean }).notReloaded = true
  })
  const l2 = rollupClients(manifest)
  const hash = await l2.user.sendTransaction({ to: traffic.payee, value: 1n })
  const { blockNumber } = await l2.public.waitForTransactionReceipt({ hash })
  expect(blockNumber).toBeGreaterThan(BigInt(before))
  await expect
    .poll(async () => Number((await head.textContent())!.slice(1)), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(Number(blockNumber))
  expect(await page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded)).toBe(true)
  await page.close()
})

test('an ERC-20 transfer is decoded with its Transfer log; the payer page has its balance and history', async () => {
  const page = await open(`tx/${traffic.erc20Transfer}`)
  await expect.poll(() => h1(page).textContent(), { timeout: 20_000 }).toBe('Rollup transaction')
  await expect.poll(() => page.locator('.decoded strong').first().textContent()).toBe('Seed USD.transfer')
  expect(await page.locator('.logs .decoded strong').first().textContent()).toBe('Seed USD.Transfer')
  expect(await page.locator('.decoded').first().textContent()).toContain('5000000')

  await page.goto(`${web.url}address/${traffic.payer}`)
  await expect
    .poll(() => page.locator('tr', { hasText: 'USDS balance' }).textContent(), { timeout: 20_000 })
    .toContain('3.75')
  expect(await page.locator('table.token-transfers tbody tr').count()).toBe(2) // received 5, paid 1.25
  // Plain ETH (no log to find it by): the 1 ETH the payer was sent.
  const received = page.locator('table.eth-transfers tbody tr', { hasText: traffic.ethTransfer.slice(0, 12) })
  await expect.poll(() => received.count(), { timeout: 20_000 }).toBe(1)
  expect(await received.textContent()).toContain('1 ETH')
  await page.close()
})

test('the batch page links the blob tx and a CID whose bytes hash to it, checked in the browser', async () => {
  const page = await open('batches')
  const row = page.locator('table.grid tbody tr', { hasText: `#${traffic.batch}` }).first()
  await row.waitFor({ timeout: 20_000 })
  await row.getByRole('link', { name: `#${traffic.batch}`, exact: true }).click()
  await expect.poll(() => h1(page).textContent(), { timeout: 20_000 }).toBe(`Batch #${traffic.batch}`)
  await expect
    .poll(() => page.locator('#cid-check').textContent(), { timeout: 20_000 })
    .toMatch(/^✓ .* bytes hash to this CID\.$/)
  const cid = (await page.locator('#batch-cid').textContent())!
  const href = (await page.locator('#batch-cid').getAttribute('href'))!
  // The same check outside the browser: raw CIDv1 = 0x01 0x55 0x12 0x20 ‖ sha256(bytes), base32.
  const bytes = new Uint8Array(await (await fetch(href)).arrayBuffer())
  const digest = createHash('sha256').update(bytes).digest()
  expect(cid).toBe(base32Cid(Buffer.concat([Buffer.from([0x01, 0x55, 0x12, 0x20]), digest])))
  expect(await page.locator('tr', { hasText: 'Blob fill' }).textContent()).toMatch(/\d+\.\d+ %/)
  await page.locator('tr', { hasText: 'Blob transaction' }).locator('a').first().click()
  await expect.poll(() => h1(page).textContent(), { timeout: 20_000 }).toBe('L1 transaction')
  expect(await page.locator('tr', { hasText: 'Blob versioned hashes' }).textContent()).toMatch(/0x01[0-9a-f]{62}/)
  expect(await page.locator('.decoded strong').first().textContent()).toBe('RollupInbox.postBatch')
  await page.close()
})

test('payments list the x402 settlement with payer, payee and amount', async () => {
  const page = await open('payments')
  const row = page.locator('table.payments tbody tr', { hasText: traffic.settlement.slice(0, 12) })
  await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1)
  expect(await row.textContent()).toContain('1.25 USD')
  expect(await row.locator('a').nth(1).getAttribute('href')).toContain(traffic.payer)
  expect(await row.locator('a').nth(2).getAttribute('href')).toContain(traffic.payee)
  await page.close()
})

test('search finds a tx hash, a block number and an address', async () => {
  const page = await open('')
  const search = page.getByRole('searchbox', { name: 'Search by hash, block number or address' })
  await search.fill(traffic.settlement)
  await search.press('Enter')
  await expect.poll(() => h1(page).textContent(), { timeout: 20_000 }).toBe('Rollup transaction')
  await search.fill('1')
  await search.press('Enter')
  await expect.poll(() => h1(page).textContent(), { timeout: 20_000 }).toBe('Rollup block #1')
  await search.fill(traffic.payee)
  await search.press('Enter')
  await expect.poll(() => h1(page).textContent(), { timeout: 20_000 }).toContain('Rollup address')
  await page.close()
})

test("the chain picker lists the network's chain and selects chains by id or inbox, kept across links", async () => {
  const page = await open(`batches?chain=${manifest.contracts.rollupInbox}`)
  await page.locator('table.grid tbody tr').first().waitFor({ timeout: 20_000 })
  await page.getByText(`Chain ${manifest.rollup.chainId}`).click()
  const known = page.getByRole('combobox', { name: 'Known chains' })
  expect(await known.locator('option', { hasText: '(this network)' }).count()).toBe(1)
  // The selection follows the navigation.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Blocks' }).click()
  await expect.poll(() => page.url(), { timeout: 10_000 }).toContain(`chain=${manifest.contracts.rollupInbox}`)
  // A chain nobody assigned has no batches to show.
  await page.goto(`${web.url}batches?chain=12345`)
  await expect.poll(() => h1(page).textContent(), { timeout: 20_000 }).toBe('Not found')

  // An agent's chain made through the inbox factory is listed by its ChainIdAssigned event.
  const agent = await agentInbox()
  await page.goto(`${web.url}batches`)
  await page.getByText(/^Chain \d+/).click()
  await expect
    .poll(() => known.locator('option', { hasText: String(agent.chainId) }).count(), { timeout: 20_000 })
    .toBe(1)
  await known.selectOption(agent.inbox)
  await page.getByRole('button', { name: 'Show chain' }).click()
  await expect.poll(() => page.getByText('No batch posted to this inbox yet.').count(), { timeout: 20_000 }).toBe(1)
  // No wallet is on it and no replica URL was given: the rollup pages say so.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Blocks' }).click()
  await expect.poll(() => page.getByText('This chain cannot be read here').count(), { timeout: 20_000 }).toBe(1)
  await page.close()
})

/** A fresh owner makes an inbox through the factory, as an agent's wallet does. */
async function agentInbox() {
  const chain = defineChain({
    id: manifest.l1.chainId,
    name: 'L1',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [manifest.l1.rpcUrl] } },
  })
  const l1 = createPublicClient({ chain, transport: http() })
  const funder = createWalletClient({ chain, transport: http(), account: devAccount('user') })
  const owner = privateKeyToAccount(generatePrivateKey())
  await l1.waitForTransactionReceipt({
    hash: await funder.sendTransaction({ to: owner.address, value: parseEther('1') }),
  })
  const wallet = createWalletClient({ chain, transport: http(), account: owner })
  const receipt = await l1.waitForTransactionReceipt({
    hash: await wallet.writeContract({
      address: manifest.contracts.rollupInboxFactory,
      abi: RollupInboxFactoryAbi,
      functionName: 'createInbox',
      args: [owner.address],
    }),
  })
  const [assigned] = parseEventLogs({ abi: RollupInboxFactoryAbi, eventName: 'ChainIdAssigned', logs: receipt.logs })
  return assigned!.args
}

test('the agents page lists a registered agent with its file verified in the browser, found by service kind', async () => {
  const page = await open('agents')
  const row = page.locator('table.agents tbody tr', { hasText: agent.name })
  await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1)
  expect(await row.textContent()).toContain('✓ verified')
  expect(await row.textContent()).toContain('rollup-rpc, x402')
  // By service kind: it serves a rollup RPC, not MCP.
  await page.getByRole('combobox', { name: 'Service kind' }).selectOption('MCP')
  await page.getByRole('button', { name: 'Filter agents' }).click()
  await expect.poll(() => page.url()).toContain('kind=MCP')
  await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(0)
  await page.getByRole('combobox', { name: 'Service kind' }).selectOption('rollup-rpc')
  await page.getByRole('button', { name: 'Filter agents' }).click()
  await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1)

  await row.getByRole('link', { name: `#${agent.agentId}` }).click()
  await expect.poll(() => h1(page).textContent(), { timeout: 20_000 }).toBe(`Agent #${agent.agentId} · ${agent.name}`)
  await expect.poll(() => page.locator('#agent-verified').textContent(), { timeout: 20_000 }).toMatch(/^✓ Verified/)
  expect(await page.locator('tr', { hasText: 'Agent wallet' }).textContent()).toContain(agent.wallet)
  await expect
    .poll(() => page.locator('#wallet-proof').textContent(), { timeout: 20_000 })
    .toBe('✓ AgentWalletSet signature by the account (ECDSA) verified in this browser.')
  // Two reviews, one backed by a payment to the agent's wallet: only that one counts.
  await expect
    .poll(() => page.locator('#reputation-summary').textContent(), { timeout: 30_000 })
    .toMatch(/^Paid feedback: 1, average 95 · all feedback: 2, average 52\./)
  const paid = page.locator('table.feedback tbody tr', { hasText: '✓ paid' })
  expect(await paid.textContent()).toContain('✓ paid')
  expect(await paid.textContent()).toContain('https://example.com/thanks') // the agent's response
  expect(await page.locator('table.feedback tbody tr', { hasText: 'no proof' }).count()).toBe(1)
  await page.close()
})

test("open bounties show their terms, funds left, slots, operators and paid totals, on the Agents page and the agent's", async () => {
  const page = await open('agents')
  const row = page.locator('table.bounties tbody tr', { hasText: `#${bounty.bountyId}` })
  await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1)
  // 2 USDS for two slots, one joined and paid one 0.25 USDS epoch: 1 unjoined + 0.75 unclaimed are left.
  const cells = async () => (await row.locator('td').allTextContents()).slice(0, 8)
  await expect
    .poll(cells, { timeout: 20_000 })
    .toEqual([
      `#${bounty.bountyId}`,
      'replica',
      `Chain ${manifest.rollup.chainId}`,
      '0.25 USDS per 3600 s epoch',
      '1.75 USDS',
      '1 of 2 taken · open',
      `#${agent.agentId} paid 0.25 USDS`,
      '0.25 USDS',
    ])

  // The bounty links the L1 transaction that posted it, decoded there with its event.
  await row.getByRole('link', { name: `Bounty #${bounty.bountyId}, posted in`, exact: false }).click()
  await expect.poll(() => h1(page).textContent(), { timeout: 20_000 }).toBe('L1 transaction')
  await expect.poll(() => page.locator('.decoded strong').first().textContent()).toBe('SeedBountyEscrow.post')
  expect(await page.locator('.logs .decoded strong').allTextContents()).toContain('SeedBountyEscrow.BountyPosted')
  await page.goBack()
  await row.getByRole('link', { name: `#${agent.agentId}`, exact: true }).click()
  await expect.poll(() => h1(page).textContent(), { timeout: 20_000 }).toBe(`Agent #${agent.agentId} · ${agent.name}`)
  const joined = page.locator('table.bounties', { has: page.locator('caption', { hasText: 'Bounties joined' }) })
  await expect
    .poll(() => joined.locator('tbody tr', { hasText: `#${bounty.bountyId}` }).count(), { timeout: 30_000 })
    .toBe(1)
  // The poster is a plain account, not this agent.
  expect(await page.getByText('This agent (its owner or its wallet) posted no bounty.').count()).toBe(1)
  await page.close()
})

test("the chain's replicas: the bounty's operator with uptime from paid feedback only, its head lag probed live", async () => {
  const page = await open('agents')
  const row = page.locator('table.replicas tbody tr', { hasText: `#${agent.agentId}` })
  await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1)
  const cells = row.locator('td')
  expect(await cells.nth(1).textContent()).toContain(`#${bounty.bountyId}`)
  expect(await cells.nth(2).textContent()).toBe(manifest.rollup.rpcUrl)
  // Two uptime reviews, 95 paid and 10 free: only the paid one counts.
  await expect.poll(() => cells.nth(3).textContent(), { timeout: 30_000 }).toBe('95 over 1 paid review')
  // Its RPC is the devnet's replica, a block or so behind the chain's head at most.
  await expect
    .poll(() => cells.nth(4).textContent(), { timeout: 20_000 })
    .toMatch(/^(at the head|[12] blocks? behind)$/)
  const chart = page.locator('figure.chart', { hasText: 'Replica head lag' })
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 20_000 }).toBeGreaterThan(0)
  expect(await chart.locator('.chart-canvas').getAttribute('aria-label')).toMatch(
    new RegExp(`#${agent.agentId}: latest -?\\d+ blocks, .* over \\d+ points`),
  )
  // A new head is a new probe, without a reload.
  const before = Number(await chart.getAttribute('data-points'))
  const l2 = rollupClients(manifest)
  await l2.public.waitForTransactionReceipt({ hash: await l2.user.sendTransaction({ to: traffic.payee, value: 1n }) })
  await expect
    .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 20_000 })
    .toBeGreaterThan(before)

  // Another chain has no replica bounty: nothing is listed for it.
  await page.goto(`${web.url}agents?chain=${bridged.inbox}`)
  await expect
    .poll(() => page.getByText('No agent serves a replica of this chain for a bounty yet.').count(), {
      timeout: 30_000,
    })
    .toBe(1)
  await page.close()
})

test("the bridge page shows a chain's config and a deposit made on L1; the devnet's chain lists its withdrawals", async () => {
  const page = await open(`bridge?chain=${bridged.inbox}`)
  await expect
    .poll(() => page.locator('#bridge-config').textContent(), { timeout: 20_000 })
    .toMatch(/^Challenge window 60 s · challenge bond 0\.01 ETH · 1 guardian, threshold 1\.$/)
  const row = page.locator('table.deposits tbody tr', { hasText: deposit.txHash.slice(0, 12) })
  await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1)
  const cells = await row.locator('td').allTextContents()
  expect(cells.slice(0, 5)).toEqual([
    String(deposit.nonce),
    short(deposit.from),
    short(deposit.from),
    '0.05 ETH',
    '0.05 ETH',
  ])
  // The deposit's L1 transaction is the portal's call, decoded with its event.
  await row.getByRole('link', { name: short(deposit.txHash, 12) }).click()
  await expect
    .poll(() => page.locator('.decoded strong').first().textContent(), { timeout: 20_000 })
    .toBe('SeedPortal.depositTransaction')
  expect(await page.locator('.logs .decoded strong').allTextContents()).toContain('SeedPortal.TransactionDeposited')
  await page.goBack()
  // No extension in this browser: the page says how to deposit instead of showing a button that cannot work.
  expect(await page.locator('#bridge-wallet').textContent()).toContain('install it')
  expect(await page.getByText('No output of this chain has been challenged.').count()).toBe(1)
  // Nobody can read this new chain here: withdrawals say so.
  expect(await page.getByText('This chain cannot be read here').count()).toBe(1)

  // The devnet's chain has the message passer in its genesis: its withdrawals (none, or those other suites
  // made) are listed, each on its timeline.
  await page.goto(`${web.url}bridge`)
  const listed = page.getByText('No withdrawal initiated on this chain yet.').or(page.locator('ol.timeline').first())
  await listed.waitFor({ timeout: 20_000 })
  expect(await page.getByText('This chain has no message passer yet').count()).toBe(0)
  await page.close()
})

const short = (hex: string, keep = 10) => `${hex.slice(0, keep)}…${hex.slice(-4)}`

test('bad params and unknown things show "Not found" inside the layout', async () => {
  const page = await open('')
  const unknownHash = `0x${'ab'.repeat(32)}`
  for (const path of [
    'l1/block/abc',
    'block/-1',
    'l1/block/0x10',
    'tx/0x12',
    `tx/${unknownHash}`,
    `l1/tx/${unknownHash}`,
    'address/0xnothex',
    'batches/abc',
    'batches/999999',
    'block/99999999',
    'no/such/page',
    'agents/abc',
    'agents/99999999',
    'bridge?chain=12345',
  ]) {
    await page.goto(`${web.url}${path}`)
    await expect.poll(() => h1(page).textContent(), { timeout: 20_000, message: path }).toBe('Not found')
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(1)
  }
  await page.close()
})

describe('every page at 360 px and 1280 px', () => {
  const pages = () => [
    ['overview', '', '#l2-head a'],
    ['blocks', 'blocks', 'table.grid'],
    ['block', `block/${traffic.lastBlock}`, 'table.kv'],
    ['tx', `tx/${traffic.erc20Transfer}`, '.decoded'],
    ['address', `address/${traffic.payer}`, 'table.grid'],
    ['batches', 'batches', 'table.grid'],
    ['batch', `batches/${traffic.batch}`, '#cid-check'],
    ['payments', 'payments', 'table.payments'],
    ['agents', 'agents', 'table.agents', 'table.bounties', 'table.replicas', 'figure.chart'],
    ['agent', `agents/${agent.agentId}`, 'table.feedback', 'table.bounties'],
    ['bridge', `bridge?chain=${bridged.inbox}`, 'table.deposits'],
    ['l1-blocks', 'l1', 'table.grid'],
    ['l1-block', 'l1/block/1', 'table.kv'],
    ['l1-tx', `l1/tx/${deposit.txHash}`, '.decoded'],
    ['l1-address', `l1/address/${agent.owner}`, 'table.kv'],
    ['not-found', 'l1/block/abc', 'main h1'],
  ]
  for (const width of [360, 1280]) {
    test(`${width} px: no serious or critical axe violation, nothing wider than the screen, screenshots saved`, async () => {
      const page = await open('', width)
      for (const [name, path, ...ready] of pages()) {
        await page.goto(`${web.url}${path}`)
        for (const selector of ready) await page.locator(selector).first().waitFor({ timeout: 20_000 })
        await page.waitForLoadState('networkidle').catch(() => {})
        const { violations } = await new AxeBuilder({ page }).analyze()
        const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        expect(bad.map((v) => `${name}: ${v.id} ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([])
        // Wide tables scroll inside their box; the page itself never scrolls sideways.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        expect({ name, overflow }).toEqual({ name, overflow: 0 })
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true })
      }
      await page.close()
    })
  }
})

function base32Cid(bytes: Uint8Array) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  let bits = ''
  for (const b of bytes) bits += b.toString(2).padStart(8, '0')
  let out = 'b'
  for (let i = 0; i < bits.length; i += 5) out += alphabet[Number.parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)]
  return out
}
