import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { type Bounty, BountyError, getOutputStatus, readBounty, ValidationRegistryAbi } from '@seed/contracts'
import { readBatchRecord, readInboxHead, readPostedBatch } from '@seed/rollup-lite'
import { cidFromHex } from '@seed/rollup-lite/node'
import type {} from '@seed/testkit/global-setup'
import { type Hex, zeroHash } from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  type FeedbackLedger,
  fileVoucherStore,
  joinBounty,
  payEpoch,
  pinProbeAnswerer,
  postBounty,
  probeOperator,
  type RunningOperator,
  rawCidHexOf,
  reportMiss,
  requestWindowValidation,
  reviewSettlements,
  runOperator,
  settleEpochs,
  startOperatorServer,
  startPinner,
  verifyProbeAnswerer,
  windowRequestHash,
} from '../src/index.ts'
import {
  balanceOf,
  cli,
  escrow,
  type FundedAccount,
  feedbackOf,
  feedbackParams,
  fundL2Sender,
  identity,
  l1,
  manifest,
  newFundedAccount,
  registerAgent,
  run,
  sealL2Block,
  tmp,
  until,
  usd,
  validation,
} from './bounty-devnet.ts'

const inbox = manifest.contracts.rollupInbox
const WINDOW_PRICE = 5_000n
const BATCH_PRICE = 10n

/** Waits for the stack to post a batch holding an L2 transaction sent now; answers the inbox's batch count. */
async function aNewBatch(): Promise<bigint> {
  const before = (await readInboxHead(l1, inbox)).count
  await sealL2Block()
  await until('a new batch on the inbox', async () => (await readInboxHead(l1, inbox)).count > before)
  return (await readInboxHead(l1, inbox)).count
}

let poster: FundedAccount
let posterAgentId: bigint
let verifyBounty: Bounty
let pinBounty: Bounty
const running: RunningOperator[] = []

beforeAll(async () => {
  poster = await newFundedAccount(10_000_000n)
  await fundL2Sender()
  // The poster's chain is its agent's: validation requests are made by the agent's owner.
  posterAgentId = await registerAgent(poster)
  const terms = { escrow, inbox, token: usd, epochLength: 60n, maxOperators: 2 }
  const verify = await postBounty(poster.wallet, {
    ...terms,
    kind: 'verify',
    pricePerEpoch: WINDOW_PRICE,
    funds: 4n * WINDOW_PRICE,
  })
  const pin = await postBounty(poster.wallet, { ...terms, kind: 'pin', pricePerEpoch: BATCH_PRICE, funds: 2_000_000n })
  verifyBounty = await readBounty(l1, { escrow, bountyId: verify.bountyId })
  pinBounty = await readBounty(l1, { escrow, bountyId: pin.bountyId })
}, 120_000)

afterAll(async () => {
  for (const operator of running) await operator.stop()
})

const followOptions = (dir: string) => ({
  'data-dir': mkdtempSync(join(tmp, dir)),
  genesis: manifest.rollup.genesis,
  l1: manifest.l1.rpcUrl,
  beacon: manifest.l1.beaconUrl,
  ipfs: manifest.services.ipfsHttp,
  poll: '500',
})

describe('a verify bounty', () => {
  test('seed-operator lists every kind; a verifier answers the window’s validation request on chain and is paid the window', async () => {
    const found = (await run(process.execPath, [cli, 'find'], { env: process.env })).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { bountyId: string; kind: string })
    expect(found.find((b) => BigInt(b.bountyId) === verifyBounty.bountyId)?.kind).toBe('verify')
    expect(found.find((b) => BigInt(b.bountyId) === pinBounty.bountyId)?.kind).toBe('pin')

    const { key, wallet, privateKey } = await newFundedAccount()
    const challenger = await newFundedAccount()
    const { agentId, payee } = await joinBounty(wallet, { escrow, identity, bountyId: verifyBounty.bountyId })
    const events: Record<string, unknown>[] = []
    const operator = await runOperator({
      l1: wallet,
      key,
      validatorKey: privateKey,
      challengerKey: challenger.privateKey,
      escrow,
      bountyId: verifyBounty.bountyId,
      agentId,
      replica: followOptions('verifier-'),
      onEvent: (e) => events.push(e),
    })
    running.push(operator)
    let count = await aNewBatch()
    if (count < 2n) count = await aNewBatch()
    const window = { fromBatch: count - 2n, toBatch: count - 1n }
    const { requestHash, requested } = await requestWindowValidation(poster.wallet, {
      ...window,
      inbox,
      posterAgentId,
      operator: key.address,
    })
    expect(requested).toBe(true)
    expect(requestHash).toBe(windowRequestHash({ ...window, inbox, operator: key.address }))
    await until('the verifier’s validation response', async () => {
      const [, , , responseHash] = await l1.readContract({
        address: validation,
        abi: ValidationRegistryAbi,
        functionName: 'getValidationStatus',
        args: [requestHash],
      })
      return responseHash !== zeroHash
    })
    expect(events).toContainEqual(
      expect.objectContaining({ event: 'verdict', verdict: 'validation-response', requestHash, response: 100 }),
    )
    // Every output it derived matched: its challenger key, ready for a mismatch, sent nothing.
    expect(events).toContainEqual(
      expect.objectContaining({
        event: 'verifier-log',
        line: expect.stringContaining(`challenging from ${challenger.key.address}`),
      }),
    )
    expect(events.filter((e) => e.event === 'verdict').map((e) => e.verdict)).not.toContain('challenged')
    expect(await l1.getTransactionCount({ address: challenger.key.address })).toBe(0)

    const probe = await probeOperator(l1, {
      bounty: verifyBounty,
      escrow,
      agentId,
      operator: key.address,
      operatorUrl: operator.url,
      window,
    })
    expect(probe).toMatchObject({ passed: true, units: 1n })
    const before = await balanceOf(payee)
    await payEpoch(poster.wallet, {
      escrow,
      bounty: verifyBounty,
      agentId,
      operatorUrl: operator.url,
      probe,
      paidSoFar: 0n,
      units: probe.passed ? probe.units : 0n,
    })
    await operator.settle()
    expect(await balanceOf(payee)).toBe(before + WINDOW_PRICE)

    const status = JSON.parse(
      (
        await run(process.execPath, [cli, 'status', String(verifyBounty.bountyId), '--url', operator.url], {
          env: { ...process.env, SEED_OPERATOR_KEY: privateKey },
        })
      ).stdout,
    ) as { slot: { claimed: string }; progress: Record<string, unknown> }
    expect(status.slot.claimed).toBe(String(WINDOW_PRICE))
    expect(status.progress).toMatchObject({
      kind: 'verify',
      windowsAsked: 1,
      windowsAnswered: 1,
      lastValidatedBatch: String(window.toBatch),
      running: { operator: key.address },
    })

    // A window asked after its outputs' challenge period: the verifier answers, but nothing could be challenged
    // any more. Real seconds pass (the devnet's window is 60 s): no time travel on the shared devnet.
    const late = { fromBatch: window.toBatch, toBatch: window.toBatch }
    const closes = (await getOutputStatus(l1, { inbox, index: late.fromBatch }))!.challengeWindowEndsAt
    // Waited out on L1's own clock, a block mined each second (as the bridge tests do; no timestamps pushed).
    await until(
      'the window’s challenge period to close',
      async () => {
        await l1.request({ method: 'evm_mine' as never, params: [] as never })
        return (await l1.getBlock()).timestamp > closes
      },
      120_000,
    )
    const lateRequest = await requestWindowValidation(poster.wallet, {
      ...late,
      inbox,
      posterAgentId,
      operator: key.address,
    })
    expect(lateRequest.requested).toBe(true)
    await until('the late validation response', async () =>
      events.some((e) => e.verdict === 'validation-response' && e.requestHash === lateRequest.requestHash),
    )
    const lateProbe = await probeOperator(l1, {
      bounty: verifyBounty,
      escrow,
      agentId,
      operator: key.address,
      operatorUrl: operator.url,
      window: late,
    })
    expect(lateProbe).toMatchObject({ passed: false, miss: 'validationResponse' })
  }, 300_000)

  test('a verifier that did not post a validation response is not paid and gets uptime 0', async () => {
    const { key, wallet } = await newFundedAccount()
    const { agentId, payee } = await joinBounty(wallet, { escrow, identity, bountyId: verifyBounty.bountyId })
    // It echoes the output roots posted on the inbox (derives nothing) and never answers on chain.
    const count = await aNewBatch()
    const posted = (await readBatchRecord(l1, inbox, count - 1n)).outputRoot
    const lazy = await startOperatorServer({
      l1: wallet,
      escrow,
      bountyId: verifyBounty.bountyId,
      agentId,
      key,
      chainId: BigInt(foundry.id),
      vouchers: fileVoucherStore(join(mkdtempSync(join(tmp, 'lazy-')), 'vouchers.json')),
      probe: verifyProbeAnswerer({ key, chainId: BigInt(foundry.id), escrow }, (i) =>
        i === count - 1n ? posted : undefined,
      ),
    })
    try {
      const window = { fromBatch: count - 1n, toBatch: count - 1n }
      await requestWindowValidation(poster.wallet, { ...window, inbox, posterAgentId, operator: key.address })
      const probe = await probeOperator(l1, {
        bounty: verifyBounty,
        escrow,
        agentId,
        operator: key.address,
        operatorUrl: lazy.url,
        window,
      })
      expect(probe).toMatchObject({ passed: false, miss: 'validationResponse' })
      await expect(
        payEpoch(poster.wallet, { escrow, bounty: verifyBounty, agentId, operatorUrl: lazy.url, probe, paidSoFar: 0n }),
      ).rejects.toThrow(BountyError)
      await reportMiss(poster.wallet, {
        ...feedbackParams(verifyBounty, agentId, payee, { reviewed: {} }),
        miss: 'validationResponse',
      })
      // Never paid: its miss is published, with no payment to count it by.
      const feedback = await feedbackOf(agentId, payee)
      expect(feedback.entries.map((c) => [c.entry.tag2, c.entry.value, c.check.paid])).toEqual([
        ['validationResponse', 0n, false],
      ])
    } finally {
      await lazy.close()
    }
  }, 120_000)
})

describe('a pin bounty', () => {
  test('a pinner pins every posted batch in its own IPFS peer and is paid per batch after serving a random one', async () => {
    const { key, wallet, privateKey } = await newFundedAccount()
    const { agentId, payee } = await joinBounty(wallet, { escrow, identity, bountyId: pinBounty.bountyId })
    const options = followOptions('pinner-')
    const operator = await runOperator({
      l1: wallet,
      key,
      escrow,
      bountyId: pinBounty.bountyId,
      agentId,
      replica: options,
    })
    running.push(operator)
    const count = await aNewBatch()
    const pinned = async () => ((await (await fetch(`${operator.url}/status`)).json()) as { pinned: string }).pinned
    await until('every posted batch pinned', async () => BigInt(await pinned()) >= count)
    // Its own IPFS gateway serves the newest batch: bytes that hash to the CID the inbox committed to.
    const newest = await readPostedBatch(l1, inbox, count - 1n)
    const served = new Uint8Array(
      await (await fetch(`${operator.rpcUrl}/ipfs/${cidFromHex(newest!.cid)}`)).arrayBuffer(),
    )
    expect(rawCidHexOf(served)).toBe(newest!.cid.toLowerCase())

    const probe = await probeOperator(l1, {
      bounty: pinBounty,
      escrow,
      agentId,
      operator: key.address,
      operatorUrl: operator.url,
      batchesPaid: 0n,
    })
    expect(probe).toMatchObject({ passed: true })
    const units = probe.passed ? probe.units : 0n
    expect(units).toBeGreaterThanOrEqual(count)
    const before = await balanceOf(payee)
    await payEpoch(poster.wallet, {
      escrow,
      bounty: pinBounty,
      agentId,
      operatorUrl: operator.url,
      probe,
      paidSoFar: 0n,
      units,
    })
    await operator.settle()
    expect(await balanceOf(payee)).toBe(before + units * BATCH_PRICE)

    const status = JSON.parse(
      (
        await run(process.execPath, [cli, 'status', String(pinBounty.bountyId), '--url', operator.url], {
          env: { ...process.env, SEED_OPERATOR_KEY: privateKey },
        })
      ).stdout,
    ) as { progress: { kind: string; running: { pinned: string } } }
    expect(status.progress.kind).toBe('pin')
    expect(BigInt(status.progress.running.pinned)).toBeGreaterThanOrEqual(count)

    // What it pinned survives a restart, with no source to fetch from any more.
    await operator.stop()
    running.splice(running.indexOf(operator), 1)
    const restarted = await startPinner({
      l1,
      inbox,
      dataDir: options['data-dir'],
      source: 'http://127.0.0.1:9',
      operator: key.address,
    })
    try {
      expect((await restarted.held(count - 1n))?.cid).toBe(newest!.cid)
    } finally {
      await restarted.stop()
    }
  }, 300_000)

  test('a pinner that serves wrong bytes is not paid and its paid feedback turns to 0', async () => {
    const { key, wallet } = await newFundedAccount()
    const { agentId, payee } = await joinBounty(wallet, { escrow, identity, bountyId: pinBounty.bountyId })
    const pinner = await startPinner({
      l1,
      inbox,
      dataDir: mkdtempSync(join(tmp, 'wrong-bytes-')),
      source: manifest.services.ipfsHttp!,
      operator: key.address,
      pollMs: 500,
    })
    let lie = false
    const vouchers = fileVoucherStore(join(mkdtempSync(join(tmp, 'wrong-bytes-vouchers-')), 'vouchers.json'))
    const server = await startOperatorServer({
      l1: wallet,
      escrow,
      bountyId: pinBounty.bountyId,
      agentId,
      key,
      chainId: BigInt(foundry.id),
      vouchers,
      // It holds the batches, but when lying it serves other bytes (a flipped last byte) under their CIDs.
      probe: pinProbeAnswerer({ key, chainId: BigInt(foundry.id), escrow }, async (index) => {
        const held = await pinner.held(index)
        if (!held || !lie) return held
        const last = Number.parseInt(held.bytes.slice(-2), 16) ^ 0xff
        return { ...held, bytes: `${held.bytes.slice(0, -2)}${last.toString(16).padStart(2, '0')}` as Hex }
      }),
    })
    const ledger: FeedbackLedger = { reviewed: {} }
    const probe = () =>
      probeOperator(l1, {
        bounty: pinBounty,
        escrow,
        agentId,
        operator: key.address,
        operatorUrl: server.url,
        batchesPaid: 0n,
      })
    try {
      const count = await aNewBatch()
      await until('the batches pinned', async () => pinner.pinned() >= count)
      const served = await probe()
      expect(served.passed).toBe(true)
      await payEpoch(poster.wallet, {
        escrow,
        bounty: pinBounty,
        agentId,
        operatorUrl: server.url,
        probe: served,
        paidSoFar: 0n,
      })
      const settlement = await settleEpochs(wallet, { escrow, bountyId: pinBounty.bountyId, agentId, vouchers })
      expect(settlement?.amount).toBe(BATCH_PRICE)
      await reviewSettlements(poster.wallet, feedbackParams(pinBounty, agentId, payee, ledger))

      lie = true
      const missed = await probe()
      expect(missed).toMatchObject({ passed: false, miss: 'pinnedContent' })
      await expect(
        payEpoch(poster.wallet, {
          escrow,
          bounty: pinBounty,
          agentId,
          operatorUrl: server.url,
          probe: missed,
          paidSoFar: BATCH_PRICE,
        }),
      ).rejects.toThrow(BountyError)
      expect(vouchers.latest(pinBounty.bountyId, agentId)?.cumulativeAmount).toBe(BATCH_PRICE)
      const { tx, revoked } = await reportMiss(poster.wallet, {
        ...feedbackParams(pinBounty, agentId, payee, ledger),
        miss: 'pinnedContent',
      })
      expect(tx).toBe(settlement!.hash)
      expect(revoked).toBeDefined()
      const feedback = await feedbackOf(agentId, payee)
      const counted = feedback.entries.filter((c) => c.check.paid && !c.entry.isRevoked)
      expect(counted.map((c) => [c.entry.tag2, c.entry.value])).toEqual([['pinnedContent', 0n]])
    } finally {
      await server.close()
      await pinner.stop()
    }
  }, 180_000)
})
