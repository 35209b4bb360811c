/**
 * ERC-8004 validation of a chain's outputs (issue 17): the agent that owns a chain asks a verifier, registered
 * as an agent itself, to check a range of its batches; the verifier answers once it has re-derived the range
 * (100: every output matches; 0: one does not), once per request even across restarts, and skips requests it
 * cannot answer. A validator key that is not a registered agent is refused by the CLI.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  IdentityRegistryAbi,
  registerAgentCall,
  seedErc8004Registries,
  ValidationRegistryAbi,
  validationRequestCall,
} from '@seed/contracts'
import type {} from '@seed/testkit/global-setup'
import { type Address, type Hex, keccak256, parseEventLogs, stringify, stringToHex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { makeL2Blocks } from '../testing.ts'
import { type ChallengeL1, genesisJson, newExecutor, startAgentChain, startChallengeL1 } from './testing.ts'
import { createOutputsValidator, OUTPUTS_VALIDATION_TYPE, outputsValidationRequest } from './validation.ts'
import type { OutputVerdict } from './verdict.ts'
import { createOutputWatcher } from './watch-outputs.ts'

const registries = seedErc8004Registries()
let env: ChallengeL1
let chain: Awaited<ReturnType<typeof startAgentChain>>
let agentId: bigint
const validator = privateKeyToAccount(generatePrivateKey())

async function registerAgent(account: typeof validator): Promise<bigint> {
  const hash = await env.senderOf(account)({
    ...registerAgentCall(registries.identity, { agentURI: `ipfs://agent-of-${account.address}` }),
    value: 0n,
  })
  const receipt = await env.l1.getTransactionReceipt({ hash })
  const [registered] = parseEventLogs({ abi: IdentityRegistryAbi, eventName: 'Registered', logs: receipt.logs })
  return registered!.args.agentId
}

/** The chain's owner asks `validatorAddress` to check batches `from..to` of `inbox`. */
async function request(from: bigint, to: bigint, o: { inbox?: Address; validatorAddress?: Address } = {}) {
  const { requestURI, requestHash } = outputsValidationRequest({
    inbox: o.inbox ?? chain.inbox,
    fromBatch: from,
    toBatch: to,
  })
  await env.senderOf(chain.owner)({
    ...validationRequestCall(registries.validation, {
      validatorAddress: o.validatorAddress ?? validator.address,
      agentId,
      requestURI,
      requestHash,
    }),
    value: 0n,
  })
  return requestHash
}

const status = (requestHash: Hex) =>
  env.l1.readContract({
    address: registries.validation,
    abi: ValidationRegistryAbi,
    functionName: 'getValidationStatus',
    args: [requestHash],
  })

const watcher = (verdicts: OutputVerdict[]) =>
  createOutputWatcher({
    l1: env.l1,
    inbox: chain.inbox,
    chainId: BigInt(genesisJson.chainId),
    createExecutor: newExecutor,
    beaconUrl: env.rpcUrl,
    validator: createOutputsValidator({
      l1: env.l1,
      validation: registries.validation,
      validator: validator.address,
      inbox: chain.inbox,
      send: env.senderOf(validator),
    }),
    onVerdict: (v) => verdicts.push(v),
  })

beforeAll(async () => {
  env = await startChallengeL1(31_421)
  chain = await startAgentChain(env, { challengeWindow: 3_600n })
  await env.fund(validator.address)
  agentId = await registerAgent(chain.owner)
  await registerAgent(validator)
  // Batch 0 honest, batch 1 with a forged output root, batch 2 honest again.
  await makeL2Blocks(chain.node, 6, 2)
  await chain.postNextBatch()
  await makeL2Blocks(chain.node, 6, 2, 1)
  chain.forge.root = keccak256(stringToHex('not the output'))
  await chain.postNextBatch()
  chain.forge.root = undefined
  await makeL2Blocks(chain.node, 6, 2, 2)
  await chain.postNextBatch()
}, 240_000)

afterAll(async () => {
  await chain?.close()
  await env?.stop()
})

describe('a verifier answers validation requests for the batch ranges it re-derived', () => {
  const hashes: Record<string, Hex> = {}

  test('100 for a range whose outputs all match, 0 for one with a forged output; the rest wait or are skipped', async () => {
    hashes.honest = await request(0n, 0n)
    hashes.forged = await request(0n, 2n)
    hashes.later = await request(2n, 3n)
    hashes.otherInbox = await request(0n, 0n, { inbox: chain.owner.address })
    hashes.otherValidator = await request(1n, 1n, { validatorAddress: chain.owner.address })
    const verdicts: OutputVerdict[] = []
    await watcher(verdicts).poll()
    const responses = verdicts.filter((v) => v.verdict === 'validation-response')
    expect(responses).toMatchObject([
      { requestHash: hashes.honest, response: 100, fromBatch: 0n, toBatch: 0n },
      { requestHash: hashes.forged, response: 0, fromBatch: 0n, toBatch: 2n },
    ])
    expect(verdicts.filter((v) => v.verdict === 'validation-skipped')).toMatchObject([
      { requestHash: hashes.otherInbox, reason: expect.stringMatching(/asks about inbox/) },
    ])
    const [validatorAddress, forAgent, response, responseHash, tag] = await status(hashes.honest)
    expect({ validatorAddress, forAgent, response, tag }).toEqual({
      validatorAddress: validator.address,
      forAgent: agentId,
      response: 100,
      tag: OUTPUTS_VALIDATION_TYPE,
    })
    expect(responseHash).not.toBe(`0x${'00'.repeat(32)}`)
    expect((await status(hashes.forged))[2]).toBe(0)
    // Not yet posted: no answer; named another validator: not this one's to answer.
    expect((await status(hashes.later))[3]).toBe(`0x${'00'.repeat(32)}`)
    expect((await status(hashes.otherValidator))[3]).toBe(`0x${'00'.repeat(32)}`)
    const [count, average] = await env.l1.readContract({
      address: registries.validation,
      abi: ValidationRegistryAbi,
      functionName: 'getSummary',
      args: [agentId, [validator.address], OUTPUTS_VALIDATION_TYPE],
    })
    expect({ count, average }).toEqual({ count: 2n, average: 50 })
  }, 180_000)

  test('a restarted verifier answers each request once, and a waiting one when its range is posted', async () => {
    const nonce = await env.l1.getTransactionCount({ address: validator.address })
    const verdicts: OutputVerdict[] = []
    const w = watcher(verdicts)
    await w.poll()
    expect(verdicts.filter((v) => v.verdict === 'validation-response')).toEqual([])
    expect(await env.l1.getTransactionCount({ address: validator.address })).toBe(nonce)

    await makeL2Blocks(chain.node, 6, 2, 3)
    await chain.postNextBatch()
    await w.poll()
    // Every verdict in the message: a run that finds no answer says what the watcher saw instead.
    const seen = stringify(verdicts)
    expect(
      verdicts.filter((v) => v.verdict === 'validation-response'),
      seen,
    ).toMatchObject([{ requestHash: hashes.later, response: 100, fromBatch: 2n, toBatch: 3n }])
  }, 180_000)

  test('the CLI refuses a validator key that is not a registered agent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-validation-'))
    try {
      const genesisFile = join(dir, 'genesis.json')
      writeFileSync(genesisFile, JSON.stringify(genesisJson))
      const bin = new URL('../../../bin/rollup-lite.mjs', import.meta.url).pathname
      const args = ['verify', '--watch', '--once', '--l1', env.rpcUrl, '--inbox', chain.inbox, '--genesis', genesisFile]
      const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, ...args, '--no-ipfs'], {
          env: { ...process.env, VALIDATOR_KEY: generatePrivateKey(), SEED_MANIFEST: join(dir, 'none.json') },
        })
        let err = ''
        child.stderr.on('data', (d) => {
          err += d
        })
        child.on('close', (c) => resolve({ code: c, stderr: err }))
      })
      expect(code).toBe(2)
      expect(stderr).toMatch(/is not a registered ERC-8004 agent/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
