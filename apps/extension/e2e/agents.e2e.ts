/**
 * ERC-8004 in the wallet (headless Chromium + the built extension + the devnet): the proof that makes
 * the smart account an agent's wallet (`setAgentWallet`, ERC-1271 over the identity registry's EIP-712
 * domain) can never be obtained by a page, whatever it asks for; and agents other people registered
 * are found by service kind in the wallet, checked (CID, the file naming the agent, a proven wallet),
 * with a tampered one shown as unverified. Bounties (decision 0802): a script cannot post one past the policy,
 * the wallet posts replica, verify and pin bounties from the Agents screen, a real `seed-operator run` joins and
 * serves each, and the wallet probes it and pays from the background: a replica's epochs, a verifier's windows
 * (each asked by the wallet's agent on the Validation registry), a pinner's batches; an epoch above the approval threshold opens
 * one approval window and is paid once approved; the wallet requests the bounty's close and shows when it can
 * withdraw (the withdraw itself, an hour later, is tested against the devnet escrow in close-bounty.int.test.ts).
 */
import type { Server } from 'node:http'
import {
  agentRegistrationFile,
  agentRegistryId,
  agentWalletTypedData,
  encodeFeedbackFile,
  encodeRegistrationFile,
  giveFeedbackCall,
  IdentityRegistryAbi,
  postBountyCall,
  ReputationRegistryAbi,
  rawCidOf,
  readBounty,
  registerAgentCall,
  SeedUSDAbi,
  seedBountyEscrow,
  seedErc8004Registries,
  setAgentURICall,
  ValidationRegistryAbi,
} from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import { readInboxHead } from '@seed/rollup-lite'
import type { Browser } from '@seed/testkit/chromium'
import type {} from '@seed/testkit/global-setup'
import type { Page } from 'playwright-core'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  parseEther,
  stringify,
} from 'viem'
import type { PrivateKeyAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { mintUsdOnL1, sellOnL1 } from './agent-harness.ts'
import { sendL2Transfer, waitForBatchCovering } from './batching-harness.ts'
import {
  fundedAccount as fundedAccountOf,
  paidSlot,
  pin as pinOnStack,
  postBounty,
  registerWalletAgent,
  replicaHead,
  settled,
  startOperator,
  until,
} from './bounty-harness.ts'
import { approvalPage, finished, openConsole, runRecords, startScript } from './console-harness.ts'
import type { Dapp } from './dapp/dapp.ts'
import {
  approveNextRequest,
  buildForTest,
  createWallet,
  fireAlarmNow,
  launchWithExtension,
  openPopup,
  refusedAtOnce,
  serveDapp,
  setPolicy,
} from './harness.ts'

const manifest = inject('manifest')
const l1 = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
const user = createWalletClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
const { identity, reputation, validation } = seedErc8004Registries()
const PASSWORD = 'correct horse battery'

declare global {
  interface Window {
    dapp: Dapp
  }
}

let browser: Browser & { extensionId: string }
let dappServer: Server
let dapp: Page
let account: Address
/** The wallet's own agent, once the registration test ran. */
let ownAgentId: bigint | undefined

beforeAll(async () => {
  // Dev rollup accounts: the bounty tests make the wallet's chain post batches with L2 transfers of their own.
  browser = await launchWithExtension(await buildForTest(manifest, { devRollupAccounts: true }))
  const served = await serveDapp()
  dappServer = served.server
  account = await createWallet(browser, PASSWORD)
  await l1.waitForTransactionReceipt({ hash: await user.sendTransaction({ to: account, value: parseEther('1') }) })
  dapp = await browser.context.newPage()
  await dapp.goto(served.url)
  await dapp.waitForFunction(() => window.dapp.wallets().length > 0)
  await approveNextRequest(browser.context, () => dapp.evaluate(() => window.dapp.connect()))
})

afterAll(async () => {
  await browser?.close()
  dappServer?.close()
})

const fundedAccount = () => fundedAccountOf(manifest)
const pin = (bytes: Uint8Array) => pinOnStack(manifest, bytes)

/** Another agent (outside the wallet) registers and publishes a file naming its agentId. */
async function publishAgent(name: string, kind: string) {
  const owner = await fundedAccount()
  const receipt = await send(owner, registerAgentCall(identity))
  const [registered] = await l1.getContractEvents({
    address: identity,
    abi: IdentityRegistryAbi,
    eventName: 'Registered',
    blockHash: receipt.blockHash,
    strict: true,
  })
  const agentId = registered!.args.agentId
  const file = agentRegistrationFile({
    name,
    description: name,
    services: [{ name: kind, endpoint: manifest.rollup.rpcUrl }],
    x402Support: false,
    registrations: [{ agentId: Number(agentId), agentRegistry: agentRegistryId(foundry.id, identity) }],
  })
  const cid = await pin(encodeRegistrationFile(file))
  await send(owner, setAgentURICall(identity, { agentId, agentURI: `ipfs://${cid}` }))
  return { agentId, cid, owner }
}

async function send(owner: PrivateKeyAccount, call: { to: Address; data: Hex }) {
  const hash = await createWalletClient({
    chain: foundry,
    transport: http(manifest.l1.rpcUrl),
    account: owner,
  }).sendTransaction(call)
  return l1.waitForTransactionReceipt({ hash })
}

describe('agents: ERC-8004 in the wallet', () => {
  test('a page cannot obtain the agent-wallet proof: eth_signTypedData_v4 on the identity registry’s domain is refused', async () => {
    const { timestamp } = await l1.getBlock()
    // What an attacker would submit to make the wallet's account the proven wallet of *its* agent.
    const typed = agentWalletTypedData({
      chainId: foundry.id,
      identity,
      agentId: 1n,
      newWallet: account,
      owner: devAccount('user').address,
      deadline: timestamp + 200n,
    })
    const json = JSON.stringify({
      ...typed,
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' },
          { name: 'verifyingContract', type: 'address' },
        ],
        ...typed.types,
      },
      message: { ...typed.message, agentId: '1', deadline: typed.message.deadline.toString() },
    })
    const outcome = await refusedAtOnce(browser.context, dapp, 'eth_signTypedData_v4', [account, json])
    expect(outcome).toMatchObject({ ok: false, code: 4100 })
  })

  test('agents registered elsewhere are found by service kind in the wallet, a copied file shown as unverified', async () => {
    const kind = `rollup-rpc-${Date.now()}` // only this test's agents offer it
    const seller = await publishAgent('seller', kind)
    // A copycat points its agentURI at the seller's file: the file does not name the copycat.
    const copycat = await fundedAccount()
    const receipt = await send(copycat, registerAgentCall(identity, { agentURI: `ipfs://${seller.cid}` }))
    const [registered] = await l1.getContractEvents({
      address: identity,
      abi: IdentityRegistryAbi,
      eventName: 'Registered',
      blockHash: receipt.blockHash,
      strict: true,
    })
    const copycatId = registered!.args.agentId

    const popup = await openPopup(browser, '/agents')
    await popup.getByText('This account has no ERC-8004 identity on this network.').waitFor()
    await popup.getByLabel('Service kind').fill(kind)
    await popup.getByRole('button', { name: 'Find' }).click()
    const found = popup.getByLabel('Agents found').getByTestId('agent')
    await expect.poll(() => found.count(), { timeout: 30_000 }).toBe(2)
    const sellerRow = popup.locator(`[data-testid="agent"][data-agent-id="${seller.agentId}"]`)
    await expect.poll(() => sellerRow.getAttribute('data-verified')).toBe('true')
    expect(await sellerRow.textContent()).toContain(manifest.rollup.rpcUrl)
    const copycatRow = popup.locator(`[data-testid="agent"][data-agent-id="${copycatId}"]`)
    expect(await copycatRow.getAttribute('data-verified')).toBe('false')
    expect(await copycatRow.getByTestId('agent-unverified').textContent()).toContain(
      'the file does not name this agent',
    )
    await popup.close()
  })

  test('a console script reads an agent’s reputation: only feedback backed by its own verified payment counts', async () => {
    const seller = await publishAgent('paid seller', `x402-${Date.now()}`)
    const buyer = await fundedAccount()
    const freeloader = await fundedAccount() // one after the other: both are funded by the same key
    const usd = manifest.contracts.usd
    await l1.waitForTransactionReceipt({
      hash: await user.writeContract({
        address: usd,
        abi: SeedUSDAbi,
        functionName: 'transfer',
        args: [buyer.address, 2_000_000n],
      }),
    })
    // The purchase: what an x402 settlement leaves on chain (Seed USD from the buyer to the agent's wallet).
    const payment = (
      await send(buyer, {
        to: usd,
        data: encodeFunctionData({
          abi: SeedUSDAbi,
          functionName: 'transfer',
          args: [seller.owner.address, 1_000_000n],
        }),
      })
    ).transactionHash
    async function feedback(from: PrivateKeyAccount, value: bigint, txHash?: Hex) {
      const file = encodeFeedbackFile({
        agentRegistry: agentRegistryId(foundry.id, identity),
        agentId: Number(seller.agentId),
        clientAddress: `eip155:${foundry.id}:${from.address}`,
        createdAt: new Date().toISOString(),
        value: String(value),
        valueDecimals: 0,
        ...(txHash && {
          proofOfPayment: {
            fromAddress: from.address,
            toAddress: seller.owner.address,
            chainId: String(foundry.id),
            txHash,
          },
        }),
      })
      const cid = await pin(file)
      await send(
        from,
        giveFeedbackCall(reputation, {
          agentId: seller.agentId,
          value,
          valueDecimals: 0,
          feedbackURI: `ipfs://${cid}`,
        }),
      )
    }
    await feedback(buyer, 90n, payment)
    await feedback(buyer, 95n, payment) // the same purchase again
    await feedback(freeloader, 10n) // no purchase at all

    const panel = await openConsole(browser)
    const runId = await startScript(
      panel,
      `const s = await agents.summary({ agentId: '${seller.agentId}' })
return JSON.stringify({ all: s.all, paid: s.paid, why: s.entries.map((e) => (e.paid ? 'paid' : e.unpaidReason)) })`,
      { cpuMs: 5000 },
    )
    expect(await finished(panel, runId)).toBe('ok')
    const [record] = await runRecords(browser)
    expect(JSON.parse(String(record!.result))).toEqual({
      all: { count: 3, value: '65' },
      paid: { count: 1, value: '90' },
      why: ['paid', 'payment already used', 'no proof'],
    })
    await panel.close()
  })

  test('the wallet registers its agent: file on IPFS pinned by the peer, agentURI its CID, the account proven by ERC-1271', async () => {
    // The file is pinned under the batcher key (batching first); the script's two sends approved in their windows.
    const rpc = { name: 'rollup-rpc', endpoint: 'http://127.0.0.1:9/rpc' }
    const registered = await registerWalletAgent(browser, [rpc])
    const agentId = registered.agentId
    ownAgentId = agentId
    expect(registered.agentURI).toBe(`ipfs://${registered.cid}`)
    const read = <F extends 'ownerOf' | 'tokenURI' | 'getAgentWallet'>(functionName: F) =>
      l1.readContract({ address: identity, abi: IdentityRegistryAbi, functionName, args: [agentId] } as never)
    expect(await read('ownerOf')).toBe(account)
    expect(await read('tokenURI')).toBe(registered.agentURI)
    expect(await read('getAgentWallet')).toBe(account)
    // The wallet proof was set by setAgentWallet (its MetadataSet event), not only left from register().
    const proofs = await l1.getContractEvents({
      address: identity,
      abi: IdentityRegistryAbi,
      eventName: 'MetadataSet',
      args: { agentId },
      fromBlock: 0n,
      strict: true,
    })
    expect(proofs.length).toBeGreaterThanOrEqual(2)
    // The stack's IPFS peer holds the file, and it names this agent and its services.
    const response = await fetch(`${manifest.services.ipfsHttp}/ipfs/${registered.cid}`)
    expect(response.status).toBe(200)
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect(rawCidOf(bytes)).toBe(registered.cid)
    const file = JSON.parse(new TextDecoder().decode(bytes))
    expect(file).toMatchObject({
      type: 'https://eips.ethereum.org/EIPS/eip-8004#registration-v1',
      name: 'e2e agent',
      registrations: [{ agentId: Number(agentId), agentRegistry: agentRegistryId(foundry.id, identity) }],
      supportedTrust: ['reputation'],
    })
    expect(file.services[0]).toEqual(rpc)
    // The Identity screen shows it, verified.
    const popup = await openPopup(browser, '/agents')
    const mine = popup.locator(`[data-testid="agent"][data-agent-id="${agentId}"]`).first()
    await mine.waitFor({ timeout: 30_000 })
    expect(await mine.getAttribute('data-verified')).toBe('true')
    await popup.close()
  })

  test('after an x402 purchase the wallet gives feedback with a checked proof of payment; a false proof is refused', async () => {
    const seller = await publishAgent('x402 seller', `x402-shop-${Date.now()}`)
    await mintUsdOnL1(manifest, account, 1_000_000n)
    const shop = await sellOnL1(manifest, seller.owner.address, 10_000n)
    try {
      const panel = await openConsole(browser)
      const runId = await startScript(
        panel,
        `const bought = await x402.fetch('${shop.url}')
let refused = ''
try {
  await agents.feedback({ agentId: '${seller.agentId}', value: 1, paymentTx: '0x${'ab'.repeat(32)}' })
} catch (e) { refused = String(e.message) }
const given = await agents.feedback({ agentId: '${seller.agentId}', value: 95, tag1: 'quality', paymentTx: bought.payment.transaction })
const s = await agents.summary({ agentId: '${seller.agentId}' })
return JSON.stringify({ refused, paid: given.paid, summary: s.paid })`,
        { cpuMs: 5000 },
      )
      // The x402 payment and the feedback send: each approved in its window.
      const deadline = Date.now() + 120_000
      let status: string | null = null
      while (Date.now() < deadline) {
        const window = browser.context.pages().find((p) => p.url().includes('/popup.html#/approve/'))
        if (window) {
          await window.getByRole('button', { name: 'Approve' }).click()
          await window.waitForEvent('close').catch(() => undefined)
        }
        status = await panel
          .locator(`[data-testid="run-output"][data-run-id="${runId}"]`)
          .getAttribute('data-status')
          .catch(() => null)
        if (status && status !== 'running') break
        await new Promise((r) => setTimeout(r, 200))
      }
      expect(status).toBe('ok')
      const [record] = await runRecords(browser)
      const result = JSON.parse(String(record!.result))
      expect(result.refused).toMatch(/is not a payment to this agent \(no such transaction\)/)
      expect(result.paid).toBe(true)
      expect(result.summary).toEqual({ count: 1, value: '95' })
      await panel.close()
      // The Identity screen lists it under feedback given, counted as paid.
      const popup = await openPopup(browser, '/agents')
      const given = popup.getByLabel('Feedback given').getByTestId('feedback')
      await given.first().waitFor({ timeout: 30_000 })
      expect(await given.first().textContent()).toContain('paid')
      await popup.close()
    } finally {
      await shop.close()
    }
  })

  test('the wallet answers feedback its agent received (appendResponse through the pipeline)', async () => {
    expect(ownAgentId).toBeDefined()
    const agentId = ownAgentId!
    const client = await fundedAccount()
    await send(client, giveFeedbackCall(reputation, { agentId, value: 80n, valueDecimals: 0, tag1: 'uptime' }))
    const panel = await openConsole(browser)
    const runId = await startScript(
      panel,
      `await agents.respond({ agentId: '${agentId}', clientAddress: '${client.address}', feedbackIndex: '1', response: 'Thanks: fixed in v2' })
const s = await agents.summary({ agentId: '${agentId}' })
return JSON.stringify(s.entries.map((e) => [e.clientAddress, e.responses]))`,
      { cpuMs: 5000 },
    )
    const window = await approvalPage(browser.context, 60_000)
    await window.getByRole('button', { name: 'Approve' }).click()
    expect(await finished(panel, runId, 90_000)).toBe('ok')
    const [record] = await runRecords(browser)
    expect(JSON.parse(String(record!.result))).toEqual([[client.address, 1]])
    const [response] = await l1.getContractEvents({
      address: reputation,
      abi: ReputationRegistryAbi,
      eventName: 'ResponseAppended',
      args: { agentId, clientAddress: client.address },
      fromBlock: 0n,
      strict: true,
    })
    expect(response?.args.responder).toBe(account)
    expect(response?.args.responseURI).toMatch(/^ipfs:\/\/b/)
    await panel.close()
  })

  test('bounties: a script cannot post past the policy; the wallet posts a replica bounty from the Agents screen, a seed-operator joins and serves, the wallet pays its epochs', async () => {
    expect(ownAgentId).toBeDefined() // the wallet's chain is described by its registration file (batching is on)
    const escrow = seedBountyEscrow()
    await mintUsdOnL1(manifest, account, 200_000_000n)

    // An escrow post pulls its funds with an allowance given earlier: the policy must still count them (the
    // per-transaction USD cap is 100), so the script is refused at once, with no window opened.
    const overCap = postBountyCall(escrow, {
      kind: 'replica',
      inbox: manifest.contracts.rollupInbox,
      token: manifest.contracts.usd,
      pricePerEpoch: 1_000_000n,
      epochLength: 60n,
      maxOperators: 1,
      funds: 150_000_000n,
    })
    const panel = await openConsole(browser)
    const runId = await startScript(
      panel,
      `try { await wallet.sendCalls({ chain: 'l1', calls: [${JSON.stringify(overCap)}] }); return 'sent' } catch (e) { return e.code + ' ' + e.message }`,
      { cpuMs: 5000 },
    )
    expect(await finished(panel, runId, 60_000)).toBe('ok')
    const [refused] = await runRecords(browser)
    expect(String(refused!.result)).toMatch(/^4100 Blocked by the wallet's policy/)
    expect(browser.context.pages().some((p) => p.url().includes('/popup.html#/approve/'))).toBe(false)
    await panel.close()

    // Posted from the Agents screen: approve + post, one op, approved in its window.
    const popup = await openPopup(browser, '/agents')
    const bountyId = await postBounty(browser, popup, { price: '0.01', epochSeconds: 30, funds: '1' })
    // The operator: its registration file names where it answers probes and where its replica serves.
    const operator = await startOperator(manifest, { bountyId, walletAgentId: ownAgentId! })
    const { agentId, rpcPort } = operator
    try {
      // The background pays on its keep-alive alarm: probe, then the voucher, only for a probe that passed.
      const slot = await paidSlot(popup, operator, async () => `replica head ${await replicaHead(rpcPort)}`)
      // A probe before the replica caught up (its first epoch) is pending; a paid epoch passed one.
      expect(await slot.textContent()).toMatch(/uptime \d+% \([1-9]\d*\/\d+ probes\) · last probe passed/)
      expect(await slot.textContent()).toContain(`replica http://127.0.0.1:${rpcPort}`)
      // The operator took a voucher signed by the smart account (ERC-1271) and settled it on L1.
      await settled(manifest, bountyId, operator, 10_000n)
      // Reputation from payments: the settlement gets the wallet's `uptime` 100, citing it as proof of payment
      // (a miss before any settlement is published with nothing to cite, 0802).
      const uptime = async () =>
        (
          await l1.getContractEvents({
            address: reputation,
            abi: ReputationRegistryAbi,
            eventName: 'NewFeedback',
            args: { agentId, clientAddress: account },
            fromBlock: 0n,
            strict: true,
          })
        ).filter((e) => e.args.tag1 === 'uptime' && e.args.value === 100n)
      await until(
        async () => {
          await fireAlarmNow(popup, 'rollup-keepalive')
          await new Promise((r) => setTimeout(r, 3000))
          return (await uptime()).length > 0
        },
        120_000,
        async () => `no feedback: ${await slot.textContent()}`,
      )
      expect((await uptime())[0]!.args.tag2).toBe('reachable')

      // An epoch above the person's approval threshold is asked of them: one window for the slot, which the next
      // ticks wait on, and approving it pays that epoch (budgeted once: the deposit was counted at the post).
      const paidBefore = Number(await slot.getByTestId('bounty-slot-paid').textContent())
      await (await setPolicy(browser, (p) => p.getByLabel('Ask me above (USDS, empty: never)').fill('0.001'))).close()
      const approvalWindows = () => browser.context.pages().filter((p) => p.url().includes('/popup.html#/approve/'))
      await until(
        async () => {
          await fireAlarmNow(popup, 'rollup-keepalive')
          await new Promise((r) => setTimeout(r, 2000))
          return approvalWindows().length > 0
        },
        120_000,
        async () => `no epoch asked: ${await slot.textContent()}`,
      )
      const epochWindow = approvalWindows()[0]!
      const asked = epochWindow.getByTestId('bounty-epoch')
      await asked.waitFor()
      expect(await asked.textContent()).toMatch(
        new RegExp(`Bounty #${bountyId} · replica.*0\\.01 USDS to agent #${agentId}`),
      )
      await expect
        .poll(() => slot.getByTestId('bounty-slot-approval').textContent(), { timeout: 10_000 })
        .toContain('waiting for you')
      await fireAlarmNow(popup, 'rollup-keepalive')
      await new Promise((r) => setTimeout(r, 3000))
      expect(approvalWindows()).toHaveLength(1)
      await epochWindow.getByRole('button', { name: 'Approve' }).click()
      await until(
        async () => {
          await fireAlarmNow(popup, 'rollup-keepalive')
          await new Promise((r) => setTimeout(r, 3000))
          return Number(await slot.getByTestId('bounty-slot-paid').textContent()) > paidBefore
        },
        120_000,
        async () => `the approved epoch was not paid: ${await slot.textContent()}`,
      )

      await (await setPolicy(browser, (p) => p.getByLabel('Ask me above (USDS, empty: never)').fill(''))).close()

      // Closing from the wallet: requestClose through its window; the screen says when the withdraw opens.
      const row = popup.locator(`[data-testid="bounty"][data-bounty-id="${bountyId}"]`)
      await row.getByRole('button', { name: 'Close' }).click()
      const closeWindow = await approvalPage(browser.context, 60_000)
      await closeWindow.getByRole('button', { name: 'Approve' }).click()
      await row.getByTestId('bounty-withdraw-at').waitFor({ timeout: 90_000 })
      expect(await row.getByTestId('bounty-withdraw-at').textContent()).toMatch(/^closing · withdraw at /)
      expect(await row.getByRole('button', { name: 'Withdraw' }).isDisabled()).toBe(true)
      await popup.close()
    } finally {
      await operator.stop()
    }
  }, 480_000)

  test('bounties: the wallet asks a verifier for each window of its batches (a validation request from its agent) and pays the window once answered on chain', async () => {
    expect(ownAgentId).toBeDefined() // the poster of the outputs, and the genesis the verifier derives from
    await mintUsdOnL1(manifest, account, 10_000_000n)
    const popup = await openPopup(browser, '/agents')
    const bountyId = await postBounty(browser, popup, { kind: 'verify', price: '0.02', epochSeconds: 30, funds: '1' })
    const operator = await startOperator(manifest, {
      bountyId,
      walletAgentId: ownAgentId!,
      name: 'e2e verifier',
      replica: false,
    })
    try {
      // The payer's first sight of the slot opens no window; the batches posted after it are the first window.
      await fireAlarmNow(popup, 'rollup-keepalive')
      await popup
        .locator(`[data-testid="bounty-slot"][data-agent-id="${operator.agentId}"]`)
        .waitFor({ timeout: 30_000 })
      await new Promise((r) => setTimeout(r, 5000))
      await aPostedBatch(popup, bountyId)
      const slot = await paidSlot(popup, operator, async () => `requests ${stringify(await requestsOf(operator.key))}`)
      expect(await slot.textContent()).toMatch(/windows verified \d+% \([1-9]\d*\/\d+ probes\)/)
      // The wallet's agent asked the verifier's key for a window of the wallet's batches, once per window, and
      // the verifier answered it: what the paid window stands on.
      const requests = await requestsOf(operator.key)
      expect(requests.length).toBeGreaterThan(0)
      expect(new Set(requests.map((r) => r.requestHash)).size).toBe(requests.length)
      expect(requests.every((r) => r.agentId === ownAgentId)).toBe(true)
      const responses = await Promise.all(
        requests.map(
          async (r) =>
            (
              await l1.readContract({
                address: validation,
                abi: ValidationRegistryAbi,
                functionName: 'getValidationStatus',
                args: [r.requestHash],
              })
            )[2],
        ),
      )
      expect(responses).toContain(100)
      // One window, one price: the voucher the operator settled is a whole number of windows.
      const claimed = await settled(manifest, bountyId, operator, 20_000n)
      expect(claimed % 20_000n).toBe(0n)
      await popup.close()
    } finally {
      await operator.stop()
    }
  }, 420_000)

  test('bounties: the wallet pays a pinner per batch it holds, after it served a random batch’s bytes', async () => {
    expect(ownAgentId).toBeDefined() // batching is on: batches are posted and their bytes on the stack's IPFS peer
    await mintUsdOnL1(manifest, account, 10_000_000n)
    const popup = await openPopup(browser, '/agents')
    const bountyId = await postBounty(browser, popup, { kind: 'pin', price: '0.001', epochSeconds: 30, funds: '1' })
    await aPostedBatch(popup, bountyId)
    const operator = await startOperator(manifest, {
      bountyId,
      walletAgentId: ownAgentId!,
      name: 'e2e pinner',
      replica: false,
    })
    try {
      const slot = await paidSlot(popup, operator)
      expect(await slot.textContent()).toMatch(/batches served \d+% \([1-9]\d*\/\d+ probes\)/)
      // Paid per batch: the batches posted when probed (all of them held), never more than were posted.
      const claimed = await settled(manifest, bountyId, operator, 1_000n)
      const { inbox } = await readBounty(l1, { escrow: seedBountyEscrow(), bountyId }) // the wallet's batcher's
      const { count } = await readInboxHead(l1, inbox)
      expect(claimed % 1_000n).toBe(0n)
      expect(claimed / 1_000n).toBeLessThanOrEqual(count)
      expect(await bountyRow(popup, bountyId).textContent()).toContain('USDS per batch pinned')
      await popup.close()
    } finally {
      await operator.stop()
    }
  }, 300_000)
})

/** An L2 transfer through the wallet's own chain, and the batch its batcher posts for it on the bounty's inbox. */
async function aPostedBatch(popup: Page, bountyId: bigint) {
  const { inbox } = await readBounty(l1, { escrow: seedBountyEscrow(), bountyId })
  const block = await sendL2Transfer(popup, '0x00000000000000000000000000000000000b0017')
  await waitForBatchCovering(manifest, inbox, block, 120_000)
}

const bountyRow = (popup: Page, bountyId: bigint) =>
  popup.locator(`[data-testid="bounty"][data-bounty-id="${bountyId}"]`)

/** The validation requests naming `validator` (ERC-8004 Validation registry). */
async function requestsOf(validator: Address) {
  const logs = await l1.getContractEvents({
    address: validation,
    abi: ValidationRegistryAbi,
    eventName: 'ValidationRequest',
    args: { validatorAddress: validator },
    fromBlock: 0n,
    strict: true,
  })
  return logs.map((l) => ({ requestHash: l.args.requestHash, agentId: l.args.agentId }))
}
