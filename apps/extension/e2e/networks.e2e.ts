/**
 * Networks at run time (decisions 0430, 0431): the already-built extension is pointed, through its
 * networks screen, at a bare anvil that has only the CREATE2 deployer and EntryPoint v0.7 (with its
 * own alto bundler). The wallet deploys Seed's contracts there, creates the smart account with a
 * user op through that alto, starts its rollup and posts a batch; switching back to the devnet
 * preset shows the devnet's state as it was.
 */
import type { Server } from 'node:http'
import {
  depositEth,
  findMissingSeedContracts,
  RollupInboxAbi,
  RollupInboxFactoryAbi,
  seedAddresses,
} from '@seed/contracts'
import { deployEntryPointV07, devAccount, devPrivateKey, ENTRY_POINT_V07, startAlto, startAnvil } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  numberToHex,
  type PublicClient,
  parseEther,
  zeroAddress,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount, privateKeyToAddress } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { fundOnL1, importWallet, l1ClientFor, l2Request, sleep, uiRequest } from './batching-harness.ts'
import { approveNextRequest, buildForTest, launchWithExtension, openPopup, screenshot, serveDapp } from './harness.ts'
import { rollupRpc, switchToRollup } from './rollup-dapp.ts'

const manifest = inject('manifest')
const PASSWORD = 'correct horse battery'
const BARE_CHAIN_ID = 31_400
const ownerKey = generatePrivateKey()

type Stoppable = { stop(): Promise<void> }
const services: Stoppable[] = []
let bare: { rpcUrl: string; bundlerUrl: string; client: PublicClient }
let browser: Awaited<ReturnType<typeof launchWithExtension>>
let dappServer: Server
let dappUrl: string

/** A bare L1: anvil (it has the CREATE2 deployer) + EntryPoint v0.7, and an alto bundler of its own. */
async function startBareChain() {
  const anvil = await startAnvil({ chainId: BARE_CHAIN_ID })
  services.push(anvil.service)
  const chain = defineChain({
    id: BARE_CHAIN_ID,
    name: 'bare',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [anvil.rpcUrl] } },
  })
  const client = createPublicClient({ chain, transport: http(anvil.rpcUrl), pollingInterval: 100 }) as PublicClient
  const walletClient = createWalletClient({ chain, transport: http(anvil.rpcUrl), account: devAccount('deployer') })
  await deployEntryPointV07({ publicClient: client, walletClient } as never)
  const alto = await startAlto({
    rpcUrl: anvil.rpcUrl,
    entryPoints: [ENTRY_POINT_V07],
    executorKey: devPrivateKey('bundlerExecutor'),
    utilityKey: devPrivateKey('bundlerUtility'),
  })
  services.push(alto.service)
  return { rpcUrl: anvil.rpcUrl, bundlerUrl: alto.url, client }
}

const setBalance = (address: Address, wei: bigint) =>
  bare.client.request({ method: 'anvil_setBalance' as never, params: [address, `0x${wei.toString(16)}`] as never })

/**
 * The test dApp connects (approval), moves to the agent's rollup (approval) and sends 0.01 ETH from
 * the rollup account, funded in its genesis by the dev flag (approval); returns the L2 block that holds it.
 */
async function l2SendThroughWallet(rollupChainId: number, to: Address): Promise<bigint> {
  const dapp = await browser.context.newPage()
  await dapp.goto(dappUrl)
  await dapp.waitForFunction(() => window.dapp.wallets().length > 0)
  await approveNextRequest(browser.context, () => dapp.evaluate(() => window.dapp.connect()))
  const rollupAccount = await switchToRollup(dapp, browser.context, rollupChainId)
  expect(await rollupRpc(dapp)('eth_chainId')).toBe(`0x${rollupChainId.toString(16)}`)
  const sent = (await approveNextRequest(browser.context, () =>
    dapp.evaluate(
      ([from, recipient]) => window.dapp.sendTransaction(from as Address, recipient as Address, '0x2386f26fc10000'),
      [rollupAccount, to],
    ),
  )) as { ok: boolean; value: Hex }
  expect(sent.ok).toBe(true)
  const receipt = (await dapp.evaluate((h) => window.dapp.waitForReceipt(h), sent.value)) as {
    value: { blockNumber: Hex; status: Hex }
  }
  expect(receipt.value.status).toBe('0x1')
  await dapp.close()
  return BigInt(receipt.value.blockNumber)
}

/** What the devnet's wallet shows: the popup's home balances, the activity list, the rollup. */
async function devnetState(ext: Page) {
  const state = await uiRequest(ext, 'ui:state')
  const balances = await uiRequest(ext, 'ui:balances')
  const activity = (await uiRequest<{ id: string; summary: string }[]>(ext, 'ui:activity')).map((a) => a.summary)
  const rollup = await uiRequest<{ chainId: number; head: number }>(ext, 'ui:rollup')
  const sites = (await uiRequest<{ origin: string }[]>(ext, 'ui:sites')).map((site) => site.origin)
  return { account: state.account, l1Eth: balances.l1?.eth, l2Eth: balances.l2?.eth, activity, rollup, sites }
}

beforeAll(async () => {
  // Dev-flagged: the agent's rollup account is funded at genesis (a normal build's first ETH arrives by
  // deposit, security-chains.e2e.ts; decision 0702).
  const extensionPath = await buildForTest(manifest, { devRollupAccounts: true })
  bare = await startBareChain()
  browser = await launchWithExtension(extensionPath)
  ;({ url: dappUrl, server: dappServer } = await serveDapp())
})

afterAll(async () => {
  await browser?.close()
  dappServer?.close()
  await Promise.all(services.reverse().map((s) => s.stop()))
})

describe('Seed extension: networks at run time', () => {
  let devnetBefore: Awaited<ReturnType<typeof devnetState>>
  let smartAccount: Address

  test('on the devnet preset (the build-time manifest) the wallet works as before', async () => {
    smartAccount = await importWallet(browser, ownerKey, PASSWORD)
    await fundOnL1(manifest, smartAccount, parseEther('1'))
    const ext = await openPopup(browser)
    const { account } = await uiRequest(ext, 'ui:state')
    const block = await l2SendThroughWallet(account.rollup.chainId, '0x00000000000000000000000000000000000beef4')
    await expect
      .poll(async () => (await uiRequest(ext, 'ui:rollup')).persistedHead, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(Number(block))
    devnetBefore = await devnetState(ext)
    expect(devnetBefore.l1Eth).toBe('1')
    expect(devnetBefore.sites).toEqual([new URL(dappUrl).origin])
    await ext.close()
  })

  test('a custom network is set up on the networks screen; the connection check tells each field', async () => {
    const popup = await openPopup(browser, '/networks')
    await popup.setViewportSize({ width: 400, height: 900 })
    await popup.getByRole('button', { name: 'Add a custom network' }).click()
    await popup.getByLabel('Name', { exact: true }).fill('Bare anvil')
    await popup.getByLabel('L1 chain id').fill(String(BARE_CHAIN_ID))
    await popup.getByLabel('L1 RPC URL').fill(bare.rpcUrl)
    await popup.getByLabel('Bundler URL').fill(bare.bundlerUrl)
    await popup.getByLabel('Beacon API URL').fill(bare.rpcUrl) // anvil serves the beacon API too
    await popup.getByRole('button', { name: 'Check connection' }).click()
    const checks = popup.getByRole('list', { name: 'Connection check' })
    await checks.getByText('L1 RPC:').waitFor()
    expect(await checks.locator('li').allTextContents()).toEqual([
      `okL1 RPC: chain ${BARE_CHAIN_ID}`,
      'okBundler: EntryPoint v0.7',
      expect.stringMatching(/^okBeacon API: genesis \d{4}-\d\d-\d\d$/),
      'failedIPFS peer: No IPFS peer URL set.',
      'failedFacilitator: No facilitator URL set.',
    ])
    await screenshot(popup, 'networks-check')

    // A wrong chain id is caught by the check before the wallet uses the network.
    await popup.getByLabel('L1 chain id').fill('1')
    await popup.getByRole('button', { name: 'Check connection' }).click()
    await checks.getByText(`The L1 RPC is on chain ${BARE_CHAIN_ID}, not 1.`).waitFor()
    await popup.getByLabel('L1 chain id').fill(String(BARE_CHAIN_ID))

    await popup.getByRole('button', { name: 'Use this network' }).click()
    await popup.getByText('Now on Bare anvil.').waitFor()
    await popup.close()
  })

  test("on the bare chain the wallet shows what is missing and the cost, and deploys Seed's contracts from the owner key", async () => {
    const popup = await openPopup(browser, '/networks')
    await popup.setViewportSize({ width: 400, height: 900 })
    await popup.getByText(/^Missing here: usd, seedAccountFactory/).waitFor()
    await popup.getByText('Send ETH to the owner address above first: it pays the deployment.').waitFor()
    expect(await popup.getByRole('button', { name: 'Deploy Seed' }).isDisabled()).toBe(true)
    const owner = (await uiRequest(popup, 'ui:state')).account?.owner as Address | undefined
    expect(owner).toBeUndefined() // no account on a network without Seed
    await popup.close()

    const ownerAddress = privateKeyToAddress(ownerKey)
    await setBalance(ownerAddress, parseEther('1'))

    const again = await openPopup(browser, '/networks')
    await again.setViewportSize({ width: 400, height: 900 })
    await again.getByText(/about [\d.]+ ETH/).waitFor()
    await screenshot(again, 'networks-deploy')
    await again.getByRole('button', { name: 'Deploy Seed' }).click()
    await again.getByText("All of Seed's contracts are deployed here.").waitFor({ timeout: 180_000 })
    expect(await findMissingSeedContracts(bare.client)).toEqual([])
    expect(await bare.client.getBalance({ address: ownerAddress })).toBeLessThan(parseEther('1'))
    const activity = await uiRequest<{ summary: string; chainId: number }[]>(again, 'ui:activity')
    expect(activity[0]).toMatchObject({
      chainId: BARE_CHAIN_ID,
      summary: expect.stringMatching(/^Deployed Seed's contracts: usd/),
    })
    await again.close()
  })

  test('the smart account is created by a user op through alto; the rollup starts and posts a batch to the bare chain', async () => {
    const ext = await openPopup(browser)
    await ext.getByText('Smart account · Bare anvil').waitFor()
    const state = await uiRequest(ext, 'ui:state')
    expect(state.account.smartAccount).toBe(smartAccount) // same owner, same factory address: same account
    expect(await bare.client.getCode({ address: smartAccount })).toBeUndefined()
    await setBalance(smartAccount, parseEther('1'))

    // "Start batching to L1": one user op through the bare chain's alto deploys the account and creates the inbox.
    const rollupPage = await openPopup(browser, '/rollup')
    await rollupPage.getByRole('button', { name: 'Start batching to L1' }).click()
    await rollupPage.getByText('Inbox', { exact: true }).waitFor({ timeout: 120_000 })
    expect(await bare.client.getCode({ address: smartAccount })).toMatch(/^0x[0-9a-f]+$/)
    const inbox = await bare.client.readContract({
      address: seedAddresses().rollupInboxFactory,
      abi: RollupInboxFactoryAbi,
      functionName: 'inboxOf',
      args: [smartAccount],
    })
    expect(inbox).not.toBe(zeroAddress)
    expect(state.account.rollup.inbox).toBe(inbox)

    // Off the devnet preset the genesis funds nobody, dev flag or not: the rollup account's first ETH is a deposit
    // through the portal, open since "Start batching" registered the inbox's bridge config (decision 0702).
    const depositor = privateKeyToAccount(generatePrivateKey())
    await setBalance(depositor.address, parseEther('2'))
    const deposit = await depositEth(bare.client, { inbox, to: state.account.rollupAccount, amount: parseEther('1') })
    const depositHash = await createWalletClient({
      chain: bare.client.chain,
      transport: http(bare.rpcUrl),
      account: depositor,
    }).sendTransaction({ ...deposit, chain: null })
    expect((await bare.client.waitForTransactionReceipt({ hash: depositHash })).status).toBe('success')
    await bare.client.request({ method: 'anvil_mine' as never, params: ['0x2'] as never }) // its confirmations
    await expect
      .poll(() => l2Request(rollupPage, 'eth_getBalance', [state.account.rollupAccount, 'latest']), { timeout: 60_000 })
      .toBe(numberToHex(parseEther('1')))

    // An L2 tx from the agent's rollup account gives the batcher a block to post.
    // The dApp's origin, connected on the devnet, is a stranger here: it connects again (per-network sites).
    const block = await l2SendThroughWallet(state.account.rollup.chainId, '0x00000000000000000000000000000000000beef5')
    for (const deadline = Date.now() + 90_000; ; await sleep(500)) {
      const [, , lastBlock] = await bare.client.readContract({
        address: inbox,
        abi: RollupInboxAbi,
        functionName: 'head',
      })
      if (lastBlock >= block) break
      if (Date.now() > deadline) throw new Error(`no batch covering L2 block ${block} on the bare chain`)
    }
    await rollupPage.reload()
    await rollupPage.getByText(/^#0 · blocks/).waitFor({ timeout: 30_000 })
    await screenshot(rollupPage, 'networks-bare-rollup')
    await rollupPage.close()
    await ext.close()
  })

  test("switching back to the devnet preset shows the devnet's account, balances, activity and rollup untouched", async () => {
    const popup = await openPopup(browser, '/networks')
    await popup.setViewportSize({ width: 400, height: 900 })
    await popup.getByRole('combobox').selectOption({ label: `Local devnet · chain ${manifest.l1.chainId}` })
    await popup.getByRole('button', { name: 'Use this network' }).click()
    await popup.getByText('Now on Local devnet.').waitFor()
    const after = await devnetState(popup)
    expect(after.account).toEqual(devnetBefore.account)
    expect(after.l1Eth).toBe(devnetBefore.l1Eth)
    expect(after.l2Eth).toBe(devnetBefore.l2Eth)
    expect(after.activity).toEqual(devnetBefore.activity)
    expect(after.sites).toEqual(devnetBefore.sites)
    // The devnet's rollup resumed from its own IndexedDB: same chain, nothing lost, nothing of the bare chain's.
    expect(after.rollup.chainId).toBe(devnetBefore.rollup.chainId)
    expect(after.rollup.head).toBeGreaterThanOrEqual(devnetBefore.rollup.head)
    expect((after.rollup as { batching?: unknown }).batching).toBeUndefined()
    // And the devnet's L1 never saw the bare chain's inbox.
    const devnetInbox = await l1ClientFor(manifest).readContract({
      address: manifest.contracts.rollupInboxFactory,
      abi: RollupInboxFactoryAbi,
      functionName: 'inboxOf',
      args: [smartAccount],
    })
    expect(devnetInbox).toBe(zeroAddress)
    const home = await openPopup(browser)
    await home.getByText('Smart account · L1 devnet').waitFor()
    await screenshot(home, 'networks-back-on-devnet')
    await home.close()
    await popup.close()
  })
})
