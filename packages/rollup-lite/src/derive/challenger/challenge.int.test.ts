/**
 * Automatic challenges (issue 15): a sequencer posts a batch whose output root is forged (it commits to a
 * withdrawal the L2 never made); the output watcher re-derives it, challenges it with the chain's bond, and a
 * restarted watcher does not challenge it again. The withdrawal proven against the forged output cannot
 * finalize; the guardians resolve the challenge, the inbox rolls back, and derivation continues from the
 * rolled-back head with the honest re-post. Honest batches are never challenged.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMerkleProof, createMPT } from '@ethereumjs/mpt'
import {
  type BridgeCall,
  getOutputStatus,
  getPendingResolution,
  getWithdrawalStatus,
  hashWithdrawal,
  outputRootOf,
  proveWithdrawal,
  resolveChallenge,
  SEED_PORTAL,
  SeedPortalAbi,
  type Withdrawal,
  withdrawalStorageSlot,
} from '@seed/contracts'
import type {} from '@seed/testkit/global-setup'
import {
  type Address,
  type BaseError,
  bytesToHex,
  decodeErrorResult,
  encodeFunctionData,
  type Hex,
  hexToBytes,
  keccak256,
  parseEther,
  stringToHex,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { deriveChain } from '../derive.ts'
import { makeL2Blocks } from '../testing.ts'
import { type ChallengeL1, genesisJson, newExecutor, startAgentChain, startChallengeL1 } from './testing.ts'
import type { OutputVerdict } from './verdict.ts'
import { createOutputWatcher } from './watch-outputs.ts'

let env: ChallengeL1
let chain: Awaited<ReturnType<typeof startAgentChain>>
const challengerKey = generatePrivateKey()
const challenger = privateKeyToAccount(challengerKey)
/** What the sequencer wants out: 5 ETH to itself, in a message-passer storage the L2 never had. */
let stolen: Withdrawal
let forged: { root: Hex; preimage: Parameters<typeof outputRootOf>[0]; proof: Hex[] }

const watcher = (verdicts: OutputVerdict[]) =>
  createOutputWatcher({
    l1: env.l1,
    inbox: chain.inbox,
    chainId: BigInt(genesisJson.chainId),
    createExecutor: newExecutor,
    beaconUrl: env.rpcUrl,
    send: env.senderOf(challenger),
    onVerdict: (v) => verdicts.push(v),
  })

/** The portal's custom error for `call` sent by `from`, or undefined if it would succeed. */
async function revertName(call: Omit<BridgeCall, 'value'> & { value?: bigint }, from: Address) {
  const error = await env.l1.call({ account: from, to: call.to, data: call.data, value: call.value }).then(
    () => undefined,
    (e: BaseError) => e,
  )
  if (!error) return undefined
  const withData = error.walk((e) => typeof (e as { data?: unknown }).data === 'string') as { data?: Hex } | null
  if (!withData?.data) throw error
  return decodeErrorResult({ abi: SeedPortalAbi, data: withData.data }).errorName
}

const challengeEvents = () =>
  env.l1.getContractEvents({
    address: SEED_PORTAL,
    abi: SeedPortalAbi,
    eventName: 'OutputChallenged',
    args: { inbox: chain.inbox },
    fromBlock: 0n,
  })

/** `rollup-lite verify --watch --once` on `inbox` (blobs only), with the challenger key in its environment. */
async function verifyOnce(inbox: Address) {
  const dir = mkdtempSync(join(tmpdir(), 'seed-challenge-'))
  try {
    const genesisFile = join(dir, 'genesis.json')
    writeFileSync(genesisFile, JSON.stringify(genesisJson))
    const bin = new URL('../../../bin/rollup-lite.mjs', import.meta.url).pathname
    const args = [
      'verify',
      '--watch',
      '--once',
      '--no-ipfs',
      '--l1',
      env.rpcUrl,
      '--inbox',
      inbox,
      '--genesis',
      genesisFile,
    ]
    return await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], {
        env: { ...process.env, CHALLENGER_KEY: challengerKey, SEED_MANIFEST: join(dir, 'none.json') },
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d) => {
        stdout += d
      })
      child.stderr.on('data', (d) => {
        stderr += d
      })
      child.on('close', (code) => resolve({ code, stdout, stderr }))
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

beforeAll(async () => {
  env = await startChallengeL1(31_419)
  chain = await startAgentChain(env, { challengeWindow: 3_600n, challengeBond: parseEther('0.5') })
  await env.fund(challenger.address, parseEther('2'))
  stolen = {
    nonce: 1n << 240n,
    sender: chain.sequencer.address,
    target: chain.sequencer.address,
    value: parseEther('5'),
    gasLimit: 100_000n,
    data: '0x',
  }
  const trie = await createMPT({ useKeyHashing: true })
  const slot = hexToBytes(withdrawalStorageSlot(hashWithdrawal(stolen)))
  await trie.put(slot, Uint8Array.of(1))
  const preimage = {
    stateRoot: keccak256(stringToHex('forged state')),
    messagePasserStorageRoot: bytesToHex(trie.root()),
    blockHash: keccak256(stringToHex('forged block')),
  }
  forged = {
    root: outputRootOf(preimage),
    preimage,
    proof: (await createMerkleProof(trie, slot)).map((n) => bytesToHex(n)),
  }
}, 240_000)

afterAll(async () => {
  await chain?.close()
  await env?.stop()
})

describe('the output watcher challenges a forged output automatically', () => {
  const verdicts: OutputVerdict[] = []
  let bondPaidBefore: bigint

  test('an honest batch is re-derived and never challenged', async () => {
    await makeL2Blocks(chain.node, 8, 2)
    await chain.postNextBatch()
    await watcher(verdicts).poll()
    expect(verdicts).toMatchObject([{ verdict: 'ok', index: 0n }])
    expect(await challengeEvents()).toHaveLength(0)
  }, 120_000)

  test('a forged output root is challenged with the chain bond, from the watcher key, within the window', async () => {
    await makeL2Blocks(chain.node, 8, 2, 1)
    chain.forge.root = forged.root
    await chain.postNextBatch()
    chain.forge.root = undefined
    // The sequencer proves its withdrawal against the forged output at once (the portal allows proving).
    await env.senderOf(chain.sequencer)(
      await proveWithdrawal(env.l1, {
        inbox: chain.inbox,
        withdrawal: stolen,
        index: 1n,
        outputRootPreimage: forged.preimage,
        storageProof: forged.proof,
      }),
    )

    bondPaidBefore = await env.l1.getBalance({ address: challenger.address })
    const w = watcher(verdicts)
    verdicts.length = 0
    await w.poll()
    expect(verdicts).toMatchObject([
      { verdict: 'ok', index: 0n },
      { verdict: 'challenged', index: 1n, outputRoot: forged.root, bond: parseEther('0.5') },
    ])
    const challenged = verdicts[1] as Extract<OutputVerdict, { verdict: 'challenged' }>
    expect(challenged.derived).not.toBe(forged.root)
    const status = await getOutputStatus(env.l1, { inbox: chain.inbox, index: 1n })
    expect(status).toMatchObject({ challenge: 'pending', challenger: challenger.address })
    expect(await env.l1.getBalance({ address: challenger.address })).toBeLessThan(
      bondPaidBefore - parseEther('0.5') + 1n,
    )
    expect(await challengeEvents()).toHaveLength(1)

    // A second poll of the same watcher does nothing more.
    verdicts.length = 0
    await w.poll()
    expect(verdicts).toEqual([])
  }, 120_000)

  test('a restarted watcher reads the challenge on L1 and does not pay a second bond', async () => {
    const restarted: OutputVerdict[] = []
    const nonce = await env.l1.getTransactionCount({ address: challenger.address })
    await watcher(restarted).poll()
    expect(restarted).toMatchObject([
      { verdict: 'ok', index: 0n },
      { verdict: 'already-challenged', index: 1n, challenge: 'pending', challenger: challenger.address },
    ])
    expect(await env.l1.getTransactionCount({ address: challenger.address })).toBe(nonce)
    expect(await challengeEvents()).toHaveLength(1)
  }, 120_000)

  test('the CLI (verify --watch --once) says the same, exits 0, and never prints its key', async () => {
    const { code, stdout, stderr } = await verifyOnce(chain.inbox)
    expect(code, stderr).toBe(0)
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toMatchObject([
      { verdict: 'ok', index: '0' },
      { verdict: 'already-challenged', index: '1', challenger: challenger.address },
    ])
    expect(stdout + stderr).not.toContain(challengerKey.slice(2))
  }, 120_000)

  test('the forged output serves no withdrawal: past the window it is still under challenge', async () => {
    await env.travel(3_600n)
    const finalize = {
      to: SEED_PORTAL,
      data: encodeFunctionData({ abi: SeedPortalAbi, functionName: 'finalizeWithdrawal', args: [chain.inbox, stolen] }),
    }
    expect(await revertName(finalize, chain.sequencer.address)).toBe('OutputUnderChallenge')
    expect((await getWithdrawalStatus(env.l1, { inbox: chain.inbox, withdrawal: stolen })).status).toBe('challenged')
  }, 60_000)

  test('the guardians resolve it invalid: the inbox rolls back, the watcher follows and derives the honest re-post', async () => {
    const typedData = await getPendingResolution(env.l1, { inbox: chain.inbox, index: 1n, valid: false })
    const signatures = await Promise.all(
      chain.guardians
        .slice(0, 2)
        .map(async (g) => ({ signer: g.address, signature: await g.signTypedData(typedData) })),
    )
    const w = watcher(verdicts)
    await w.poll()
    await env.senderOf(chain.owner)(
      await resolveChallenge(env.l1, { inbox: chain.inbox, index: 1n, valid: false, signatures }),
    )
    // The challenger is owed its bond and the proposer's.
    const credit = await env.l1.readContract({
      address: SEED_PORTAL,
      abi: SeedPortalAbi,
      functionName: 'bondCredit',
      args: [challenger.address],
    })
    expect(credit).toBe(2n * parseEther('0.5'))

    verdicts.length = 0
    await w.poll()
    expect(verdicts).toEqual([{ verdict: 'rolled-back', index: 1n, previousCount: 2n }])

    // The batcher sees the shorter inbox and posts the same blocks again, honestly this time; more follow.
    await chain.postNextBatch()
    await makeL2Blocks(chain.node, 8, 2, 2)
    await chain.postNextBatch()
    verdicts.length = 0
    await w.poll()
    expect(verdicts).toMatchObject([
      { verdict: 'ok', index: 1n },
      { verdict: 'ok', index: 2n },
    ])
    expect(w.checked(1n)?.ok).toBe(true)
    expect(await challengeEvents()).toHaveLength(1)
    // A one-shot verifier reads the inbox as it is now too: the dropped batch is gone, the re-post in its place.
    const oneShot = await deriveChain({
      l1: env.l1,
      inbox: chain.inbox,
      chainId: BigInt(genesisJson.chainId),
      executor: await newExecutor(),
      beaconUrl: env.rpcUrl,
    })
    expect(oneShot).toMatchObject({ ok: true, batches: 3 })

    // The stolen withdrawal is dead: its output is gone, and the honest output at its index does not commit to it.
    const finalize = {
      to: SEED_PORTAL,
      data: encodeFunctionData({ abi: SeedPortalAbi, functionName: 'finalizeWithdrawal', args: [chain.inbox, stolen] }),
    }
    expect(await revertName(finalize, chain.sequencer.address)).toBe('OutputInvalidated')
    await expect(
      proveWithdrawal(env.l1, {
        inbox: chain.inbox,
        withdrawal: stolen,
        index: 1n,
        outputRootPreimage: forged.preimage,
        storageProof: forged.proof,
      }),
    ).rejects.toThrow(/output-mismatch/)
  }, 180_000)
})

describe('data that never matches its commitments', () => {
  test('blobs that are not the CID’s bytes are retried, then challenged once half the window has passed', async () => {
    const liar = await startAgentChain(env, { challengeWindow: 3_600n, challengeBond: parseEther('0.5') })
    try {
      await makeL2Blocks(liar.node, 8, 2)
      liar.forge.blobs = true
      await liar.postNextBatch()
      const verdicts: OutputVerdict[] = []
      const w = createOutputWatcher({
        l1: env.l1,
        inbox: liar.inbox,
        chainId: BigInt(genesisJson.chainId),
        createExecutor: newExecutor,
        beaconUrl: env.rpcUrl,
        send: env.senderOf(challenger),
        onVerdict: (v) => verdicts.push(v),
      })
      await w.poll()
      expect(verdicts).toMatchObject([{ verdict: 'unavailable', index: 0n, reason: expect.stringMatching(/CID/) }])
      expect((await getOutputStatus(env.l1, { inbox: liar.inbox, index: 0n }))?.challenge).toBe('none')

      // Half the window later the CLI, from the same key, challenges it.
      await env.travel(1_800n)
      const { code, stdout, stderr } = await verifyOnce(liar.inbox)
      expect(code, stderr).toBe(0)
      expect(
        stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l)),
      ).toMatchObject([
        { verdict: 'unavailable', index: '0' },
        {
          verdict: 'challenged',
          index: '0',
          reason: expect.stringMatching(/half the challenge window/),
          bond: `${parseEther('0.5')}`,
        },
      ])
      expect(await getOutputStatus(env.l1, { inbox: liar.inbox, index: 0n })).toMatchObject({
        challenge: 'pending',
        challenger: challenger.address,
      })
    } finally {
      await liar.close()
    }
  }, 180_000)
})
