/**
 * A killed operator leaves no verifier behind (issue 17, decision 0802): `seed-operator run` for a verify bounty
 * starts `rollup-lite verify --watch` as a child process; when the operator is SIGKILLed (no handler runs, Node
 * has no PDEATHSIG) that child must exit by itself, or it would go on watching and answering validation
 * requests with the operator key for a process nobody runs any more. Real processes on the devnet.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SeedUSDAbi, seedBountyEscrow, seedErc8004Registries } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import { createPublicClient, createWalletClient, http, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterEach, describe, expect, inject, test } from 'vitest'
import { joinBounty, postBounty } from '../src/index.ts'

const manifest = inject('manifest')
const transport = http(manifest.l1.rpcUrl)
const l1 = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
const tmp = process.env.SEED_TEST_TMP ?? '/tmp'
const cli = join(import.meta.dirname, '..', 'bin', 'seed-operator.mjs')

/** Processes this test started (the operator, and the verifier it spawned): none outlives the test. */
const started = new Set<number>()
afterEach(() => {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL')
  started.clear()
})

/** Running, and not a zombie waiting to be reaped (a reaped or zombie process does no more work). */
function alive(pid: number) {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/** The live children of `parent` whose command line holds `word` (read from /proc: Linux). */
function childrenOf(parent: number, word: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === parent && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(word)) found.push(Number(entry))
    } catch {} // gone while listed
  }
  return found
}

async function until<T>(what: string, check: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

async function newFundedAccount() {
  const privateKey = generatePrivateKey()
  const account = privateKeyToAccount(privateKey)
  const funder = createWalletClient({ chain: foundry, transport, account: devAccount('user') })
  await l1.waitForTransactionReceipt({
    hash: await funder.sendTransaction({ to: account.address, value: parseEther('1') }),
  })
  return { privateKey, wallet: createWalletClient({ chain: foundry, transport, account, pollingInterval: 50 }) }
}

describe('a SIGKILLed operator', () => {
  test('its `rollup-lite verify --watch` child exits with it', async () => {
    const poster = await newFundedAccount()
    const deployer = createWalletClient({ chain: foundry, transport, account: devAccount('deployer') })
    await l1.waitForTransactionReceipt({
      hash: await deployer.writeContract({
        address: manifest.contracts.usd,
        abi: SeedUSDAbi,
        functionName: 'mint',
        args: [poster.wallet.account.address, 10_000n],
      }),
    })
    const { bountyId } = await postBounty(poster.wallet, {
      escrow: seedBountyEscrow(),
      kind: 'verify',
      inbox: manifest.contracts.rollupInbox,
      token: manifest.contracts.usd,
      pricePerEpoch: 5_000n,
      epochLength: 60n,
      maxOperators: 1,
      funds: 10_000n,
    })
    const operator = await newFundedAccount()
    await joinBounty(operator.wallet, {
      escrow: seedBountyEscrow(),
      identity: seedErc8004Registries().identity,
      bountyId,
    })

    const dir = mkdtempSync(join(tmp, 'operator-sigkill-'))
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
    const run: ChildProcess = spawn(
      process.execPath,
      [cli, 'run', String(bountyId), '--manifest', join(dir, 'manifest.json'), '--data-dir', dir, '--port', '0'],
      { env: { ...process.env, SEED_OPERATOR_KEY: operator.privateKey }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    started.add(run.pid!)
    const output: string[] = []
    run.stdout!.on('data', (c: Buffer) => output.push(c.toString()))
    run.stderr!.on('data', (c: Buffer) => output.push(c.toString()))
    const verifier = await until(
      `the verifier child (${output.join('')})`,
      () => childrenOf(run.pid!, 'verify')[0],
      60_000,
    )
    started.add(verifier)
    await until('the operator listening', () => (output.join('').includes('"listening"') ? true : undefined), 60_000)

    const exited = new Promise((resolve) => run.once('exit', resolve))
    run.kill('SIGKILL')
    await exited
    expect(alive(run.pid!)).toBe(false)
    // The orphan notices at once (its IPC channel to the operator closed); a few seconds cover a loaded machine.
    await expect.poll(() => alive(verifier), { timeout: 10_000, interval: 200 }).toBe(false)
  }, 120_000)
})
