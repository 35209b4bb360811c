/**
 * Issue 15 on a replica: `rollup-lite node --follow <inbox>` with a challenger key (from CHALLENGER_KEY, as the
 * verifier takes it) watches every output posted on the inbox; when the sequencer posts a forged output root,
 * the replica challenges it on the portal with the chain's bond from that key, and leaves honest ones alone.
 * A private anvil (challenger/testing.ts): the chain's bridge config is registered there, not on the devnet.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getOutputStatus } from '@seed/contracts'
import type {} from '@seed/testkit/global-setup'
import { keccak256, parseEther, stringToHex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type ChallengeL1, genesisJson, startAgentChain, startChallengeL1 } from '../derive/challenger/testing.ts'
import { makeL2Blocks } from '../derive/testing.ts'

let env: ChallengeL1
let chain: Awaited<ReturnType<typeof startAgentChain>>
let replica: ChildProcessWithoutNullStreams | undefined
let stderr = ''
const dir = mkdtempSync(join(process.env.SEED_TEST_TMP ?? tmpdir(), 'replica-challenger-'))
const challengerKey = generatePrivateKey()
const challenger = privateKeyToAccount(challengerKey)

/** The verdicts the replica printed so far (`replica: {"verdict":…}` lines on stderr). */
const verdicts = () =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('replica: {"verdict"'))
    .map((l) => JSON.parse(l.slice('replica: '.length)) as { verdict: string; index: string; bond?: string })

async function untilVerdict(verdict: string, index: string) {
  const deadline = Date.now() + 90_000
  while (!verdicts().some((v) => v.verdict === verdict && v.index === index)) {
    if (Date.now() > deadline || replica?.exitCode !== null) return
    await new Promise((r) => setTimeout(r, 200))
  }
}

beforeAll(async () => {
  env = await startChallengeL1(31_427)
  chain = await startAgentChain(env, { challengeWindow: 3_600n, challengeBond: parseEther('0.5') })
  await env.fund(challenger.address, parseEther('2'))
  const genesisFile = join(dir, 'genesis.json')
  writeFileSync(genesisFile, JSON.stringify(genesisJson))
  const bin = new URL('../../bin/rollup-lite.mjs', import.meta.url).pathname
  // The key in the environment only: arguments are visible to other local users.
  replica = spawn(
    process.execPath,
    [
      bin,
      'node',
      '--follow',
      chain.inbox,
      '--data-dir',
      join(dir, 'data'),
      '--genesis',
      genesisFile,
      '--l1',
      env.rpcUrl,
      '--ipfs',
      'none',
      '--port',
      '0',
      '--poll',
      '250',
    ],
    { env: { ...process.env, CHALLENGER_KEY: challengerKey, SEED_MANIFEST: join(dir, 'none.json') } },
  )
  replica.stderr.on('data', (d) => {
    stderr += d
  })
}, 240_000)

afterAll(async () => {
  if (replica?.exitCode === null) replica.kill('SIGKILL')
  await chain?.close()
  await env?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a replica with a challenger key challenges a forged output from its key, and only that one', async () => {
  await makeL2Blocks(chain.node, 8, 2)
  await chain.postNextBatch()
  await untilVerdict('ok', '0')
  expect(verdicts(), stderr).toMatchObject([{ verdict: 'ok', index: '0' }])

  await makeL2Blocks(chain.node, 8, 2, 1)
  chain.forge.root = keccak256(stringToHex('an output the L2 never had'))
  await chain.postNextBatch()
  chain.forge.root = undefined
  await untilVerdict('challenged', '1')

  expect(await getOutputStatus(env.l1, { inbox: chain.inbox, index: 1n }), stderr).toMatchObject({
    challenge: 'pending',
    challenger: challenger.address,
  })
  expect((await getOutputStatus(env.l1, { inbox: chain.inbox, index: 0n }))?.challenge).toBe('none')
  expect(verdicts()).toMatchObject([
    { verdict: 'ok', index: '0' },
    { verdict: 'challenged', index: '1', bond: `${parseEther('0.5')}` },
  ])

  // Stopped, it exits cleanly (the watcher stops with it), and its key was never printed.
  const exited = new Promise<number | null>((resolve) => replica!.once('exit', resolve))
  replica!.kill('SIGTERM')
  expect(await exited).toBe(0)
  expect(stderr).not.toContain(challengerKey.slice(2))
}, 240_000)
