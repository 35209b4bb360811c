/**
 * Bounties in the browser tests (decision 0802): the wallet's own agent registered (its registration file
 * describes the chain an operator follows), a bounty posted from the Agents screen, a real `seed-operator run`
 * that joins and serves it, and the waits for the wallet's payment and the operator's settlement. Shared by
 * agents.e2e.ts and agents-payer-restart.e2e.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  agentRegistrationFile,
  encodeRegistrationFile,
  fetchIpfsFile,
  IdentityRegistryAbi,
  parseRegistrationFile,
  rawCidOf,
  readBountySlot,
  rollupFollowInfo,
  seedBountyEscrow,
  seedErc8004Registries,
} from '@seed/contracts'
import { devAccount, type Manifest } from '@seed/devnet'
import type { Browser } from '@seed/testkit/chromium'
import type { Page } from 'playwright-core'
import { type Address, createPublicClient, createWalletClient, http, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { expect } from 'vitest'
import { freePort } from './agent-harness.ts'
import { approvalPage, finished, openConsole, runRecords, startScript } from './console-harness.ts'
import { fireAlarmNow, openPopup } from './harness.ts'

const SEED_OPERATOR = join(import.meta.dirname, '..', '..', '..', 'packages', 'operator', 'bin', 'seed-operator.mjs')

const l1Of = (manifest: Manifest) =>
  createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })

/** A fresh L1 key holding 1 ETH from the devnet's user account. */
export async function fundedAccount(manifest: Manifest) {
  const owner = privateKeyToAccount(generatePrivateKey())
  const user = createWalletClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
  await l1Of(manifest).waitForTransactionReceipt({
    hash: await user.sendTransaction({ to: owner.address, value: parseEther('1') }),
  })
  return owner
}

/** Pins `bytes` on the stack's IPFS peer, signed by an allowed pinner key (decision 0310). */
export async function pin(manifest: Manifest, bytes: Uint8Array) {
  const cid = rawCidOf(bytes)
  const signature = await devAccount('user').signMessage({ message: `seed-pin:${cid}` })
  const response = await fetch(`${manifest.services.ipfsHttp}/pin?cid=${cid}`, {
    method: 'POST',
    headers: { 'seed-pin-signature': signature },
    body: new Blob([bytes as Uint8Array<ArrayBuffer>]),
  })
  expect(response.status).toBe(200)
  return cid
}

/**
 * The wallet registers its own agent from a console script (batching first: the file is pinned under the
 * batcher key), each of its two sends approved in its window like any script send.
 */
export async function registerWalletAgent(
  browser: Browser & { extensionId: string },
  services: { name: string; endpoint: string }[],
): Promise<{ agentId: bigint; agentURI: string; cid: string }> {
  const rollup = await openPopup(browser, '/rollup')
  await rollup.getByRole('button', { name: 'Start batching to L1' }).click()
  await rollup.getByText('Inbox', { exact: true }).waitFor({ timeout: 90_000 })
  await rollup.close()

  const panel = await openConsole(browser)
  const runId = await startScript(
    panel,
    `return JSON.stringify(await agents.register({ name: 'e2e agent', services: ${JSON.stringify(services)} }))`,
    { cpuMs: 5000 },
  )
  for (let i = 0; i < 2; i++) {
    const window = await approvalPage(browser.context, 90_000)
    await window.getByRole('button', { name: 'Approve' }).click()
    await window.waitForEvent('close').catch(() => undefined)
  }
  expect(await finished(panel, runId, 120_000)).toBe('ok')
  const [record] = await runRecords(browser)
  await panel.close()
  const registered = JSON.parse(String(record!.result)) as { agentId: string; agentURI: string; cid: string }
  return { ...registered, agentId: BigInt(registered.agentId) }
}

/** Posts a bounty from the Agents screen (`popup`): approve + post, one op, approved in its window. */
export async function postBounty(
  browser: Browser,
  popup: Page,
  p: { kind?: 'replica' | 'verify' | 'pin'; price: string; epochSeconds: number; funds: string },
): Promise<bigint> {
  const form = popup.getByRole('form', { name: 'Post a bounty' })
  await form.getByLabel('Bounty kind').selectOption(p.kind ?? 'replica')
  await form.getByLabel('Price per epoch').fill(p.price)
  await form.getByLabel('Epoch seconds').fill(String(p.epochSeconds))
  await form.getByLabel('Operators').fill('1')
  await form.getByLabel('Bounty funds').fill(p.funds)
  await form.getByRole('button', { name: 'Post' }).click()
  const window = await approvalPage(browser.context, 60_000)
  await window.getByRole('button', { name: 'Approve' }).click()
  const result = form.getByTestId('bounty-post-result')
  await result.filter({ hasText: /Posted bounty|rror/ }).waitFor({ timeout: 90_000 })
  const text = (await result.textContent()) ?? ''
  const posted = /Posted bounty #(\d+)/.exec(text)
  expect(posted, text).not.toBeNull()
  return BigInt(posted![1]!)
}

export type BountyOperator = {
  agentId: bigint
  /** The key that joined the slot (and signs its answers). */
  key: Address
  /** Where `seed-operator run` answers probes and takes vouchers. */
  port: number
  /** Where its replica serves JSON-RPC. */
  rpcPort: number
  /** Its stdout (JSON events) and stderr, as they came. */
  lines: string[]
  stop(): Promise<void>
}

/**
 * A real operator for `bountyId` (any kind): its registration file (pinned) names where it answers probes
 * (`probeEndpoint`, by default its own port: a test may put itself in between) and, for a replica, where its
 * replica serves; it joins, then `seed-operator run` follows the wallet's chain from the genesis the wallet's
 * agent file names, and settles every voucher at once (`--settle-every 1`). Resolves once it listens.
 */
export async function startOperator(
  manifest: Manifest,
  p: { bountyId: bigint; walletAgentId: bigint; name?: string; replica?: boolean; probeEndpoint?: string },
): Promise<BountyOperator> {
  const name = p.name ?? 'e2e replica operator'
  const l1 = l1Of(manifest)
  const operator = await fundedAccount(manifest)
  const operatorKey = generatePrivateKey()
  await l1.waitForTransactionReceipt({
    hash: await createWalletClient({
      chain: foundry,
      transport: http(manifest.l1.rpcUrl),
      account: operator,
    }).sendTransaction({ to: privateKeyToAccount(operatorKey).address, value: parseEther('0.5') }),
  })
  const [port, rpcPort] = [await freePort(), await freePort()]
  const operatorFile = agentRegistrationFile({
    name,
    description: `${name} for bounties`,
    services: [
      { name: 'bounty-operator', endpoint: p.probeEndpoint ?? `http://127.0.0.1:${port}` },
      ...(p.replica === false ? [] : [{ name: 'rollup-rpc', endpoint: `http://127.0.0.1:${rpcPort}` }]),
    ],
    x402Support: false,
    registrations: [],
  })
  const operatorUri = `ipfs://${await pin(manifest, encodeRegistrationFile(operatorFile))}`
  // The wallet's chain, as its own registration file describes it: the genesis the replica starts from.
  const walletUri = (await l1.readContract({
    address: seedErc8004Registries().identity,
    abi: IdentityRegistryAbi,
    functionName: 'tokenURI',
    args: [p.walletAgentId],
  })) as string
  const ipfs = manifest.services.ipfsHttp!
  const chain = rollupFollowInfo(parseRegistrationFile(await fetchIpfsFile(ipfs, walletUri)))
  const dir = mkdtempSync(join(process.env.SEED_TEST_TMP ?? tmpdir(), 'bounty-operator-'))
  writeFileSync(join(dir, 'genesis.json'), await fetchIpfsFile(ipfs, chain.genesisUri!, { maxBytes: 1 << 22 }))
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  const env = { ...process.env, SEED_OPERATOR_KEY: operatorKey }
  const common = ['--manifest', join(dir, 'manifest.json')]
  const joined = JSON.parse(await runCli(['join', String(p.bountyId), '--agent-uri', operatorUri, ...common], env)) as {
    agentId: string
  }
  const run = spawn(
    process.execPath,
    [
      SEED_OPERATOR,
      'run',
      String(p.bountyId),
      ...common,
      '--data-dir',
      join(dir, 'data'),
      '--genesis',
      join(dir, 'genesis.json'),
      '--beacon',
      manifest.l1.beaconUrl,
      '--port',
      String(port),
      '--rpc-port',
      String(rpcPort),
      '--settle-every',
      '1',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const lines: string[] = []
  run.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)))
  run.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()))
  const started = {
    agentId: BigInt(joined.agentId),
    key: privateKeyToAccount(operatorKey).address,
    port,
    rpcPort,
    lines,
    stop: () => stopChild(run),
  }
  try {
    await until(
      () => lines.some((l) => l.includes('"listening"')),
      90_000,
      () => `the operator never listened: ${lines.join('\n')}`,
    )
  } catch (error) {
    await started.stop()
    throw error
  }
  return started
}

/** Fires the payer's alarm until the slot's row shows a payment; answers the row. */
export async function paidSlot(popup: Page, operator: BountyOperator, more: () => Promise<string> = async () => '') {
  const slot = popup.locator(`[data-testid="bounty-slot"][data-agent-id="${operator.agentId}"]`)
  await until(
    async () => {
      await fireAlarmNow(popup, 'rollup-keepalive')
      await new Promise((r) => setTimeout(r, 3000))
      const paid = await slot
        .getByTestId('bounty-slot-paid')
        .textContent()
        .catch(() => null)
      return paid !== null && Number(paid) > 0
    },
    180_000,
    async () =>
      `nothing paid: ${await slot.textContent().catch(() => 'no slot row')}; ${await more()}\n${operator.lines.slice(-10).join('\n')}`,
  )
  return slot
}

/** Waits for the operator to claim at least `atLeast` on L1 (it settles every voucher); answers the claimed total. */
export async function settled(manifest: Manifest, bountyId: bigint, operator: BountyOperator, atLeast: bigint) {
  const l1 = l1Of(manifest)
  const claimed = async () =>
    (await readBountySlot(l1, { escrow: seedBountyEscrow(), bountyId, agentId: operator.agentId }))?.claimed ?? 0n
  await until(
    async () => (await claimed()) >= atLeast,
    90_000,
    () => `nothing settled: ${operator.lines.slice(-10).join('\n')}`,
  )
  return claimed()
}

/** The replica's head as it answers `eth_blockNumber` (or why it did not), for failure messages. */
export async function replicaHead(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
  }).catch((e: Error) => e.message)
  return typeof response === 'string' ? response : response.text()
}

export async function until(check: () => boolean | Promise<boolean>, ms: number, why: () => string | Promise<string>) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(await why())
    await new Promise((r) => setTimeout(r, 500))
  }
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SEED_OPERATOR, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c
    })
    child.stderr.on('data', (c: Buffer) => {
      err += c
    })
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`seed-operator ${args[0]}: ${err}`))))
  })
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))])
  if (child.exitCode === null) child.kill('SIGKILL')
}
