import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import {
  agentRegistrationFile,
  agentRegistryId,
  type Bounty,
  BountyError,
  claimEpochsCall,
  encodeRegistrationFile,
  epochVoucherTypedData,
  joinBountyCall,
  postBountyCall,
  readBounty,
  readBountySlot,
  SeedBountyEscrowAbi,
  SeedBountyEscrowBytecode,
  setAgentURICall,
  verifyProofOfPayment,
} from '@seed/contracts'
import type {} from '@seed/testkit/global-setup'
import { type Address, type BaseError, createPublicClient, decodeErrorResult, type Hex, http } from 'viem'
import { generatePrivateKey, type PrivateKeyAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  type FeedbackLedger,
  fileVoucherStore,
  joinBounty,
  payEpoch,
  postBounty,
  probeReplica,
  type RunningOperator,
  reportMiss,
  reviewSettlements,
  rpcReplicaReader,
  runOperator,
  settleEpochs,
  startOperatorServer,
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
  publish,
  registerAgent,
  run,
  sealL2Block,
  sequencer,
  tmp,
  until,
  usd,
  walletOf,
} from './bounty-devnet.ts'

const PRICE = 1_000n

/** The custom error a call reverts with, decoded with the escrow's ABI. */
async function revertName(account: Address, call: { to: Address; data: Hex }) {
  const error = await l1.call({ account, ...call }).then(
    () => undefined,
    (e: BaseError) => e,
  )
  const raw = error?.walk((e) => typeof (e as { data?: unknown }).data === 'string') as { data?: Hex } | null
  return raw?.data ? decodeErrorResult({ abi: SeedBountyEscrowAbi, data: raw.data }).errorName : undefined
}

let poster: FundedAccount
let bounty: Bounty
let honest: { key: PrivateKeyAccount; agentId: bigint; payee: Address; operator?: RunningOperator }
const events: Record<string, unknown>[] = []
const honestLedger: FeedbackLedger = { reviewed: {} }
let paidToHonest = 0n
let operatorEnv: NodeJS.ProcessEnv = {}
let posterAgentId: bigint

beforeAll(async () => {
  poster = await newFundedAccount(100_000n)
  await fundL2Sender()
  // The poster is an ERC-8004 agent whose registration file names its chain: operators can check whom they serve.
  posterAgentId = await registerAgent(poster)
  const file = agentRegistrationFile({
    name: 'bounty poster',
    description: 'pays for replicas of its chain',
    services: [{ name: 'rollup-inbox', endpoint: `eip155:${foundry.id}:${manifest.contracts.rollupInbox}` }],
    x402Support: true,
    registrations: [{ agentId: Number(posterAgentId), agentRegistry: agentRegistryId(foundry.id, identity) }],
  })
  const agentURI = await publish(encodeRegistrationFile(file))
  await l1.waitForTransactionReceipt({
    hash: await poster.wallet.sendTransaction(setAgentURICall(identity, { agentId: posterAgentId, agentURI })),
  })
  const { bountyId } = await postBounty(poster.wallet, {
    escrow,
    kind: 'replica',
    inbox: manifest.contracts.rollupInbox,
    token: usd,
    pricePerEpoch: PRICE,
    epochLength: 60n,
    maxOperators: 2,
    funds: 20_000n,
  })
  bounty = await readBounty(l1, { escrow, bountyId })
}, 120_000)

afterAll(async () => {
  await honest?.operator?.stop()
})

describe('a replica bounty', () => {
  test('seed-operator finds it, joins as a new agent, serves the sequencer’s chain, is paid per epoch and gets paid uptime feedback', async () => {
    const { key, privateKey } = await newFundedAccount()
    const env = { ...process.env, SEED_OPERATOR_KEY: privateKey }
    operatorEnv = env
    const found = (await run(process.execPath, [cli, 'find', '--kind', 'replica'], { env })).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { bountyId: string; inbox: string; pricePerEpoch: string })
    const listed = found.find((b) => BigInt(b.bountyId) === bounty.bountyId)
    expect(listed).toMatchObject({
      inbox: manifest.contracts.rollupInbox,
      pricePerEpoch: String(PRICE),
      poster8004: { agentId: String(posterAgentId), verified: true, servesInbox: true },
    })

    const joined = JSON.parse(
      (await run(process.execPath, [cli, 'join', String(bounty.bountyId)], { env })).stdout,
    ) as { agentId: string; registered: boolean; payee: Address }
    expect(joined.registered).toBe(true)
    expect(joined.payee).toBe(key.address)
    honest = { key, agentId: BigInt(joined.agentId), payee: joined.payee }
    const slot = await readBountySlot(l1, { escrow, bountyId: bounty.bountyId, agentId: honest.agentId })
    expect(slot).toMatchObject({ operator: key.address, claimed: 0n, closed: false })

    honest.operator = await runOperator({
      l1: walletOf(key),
      key,
      escrow,
      bountyId: bounty.bountyId,
      agentId: honest.agentId,
      settleEvery: 3,
      replica: {
        'data-dir': mkdtempSync(join(tmp, 'operator-')),
        genesis: manifest.rollup.genesis,
        'sequencer-rpc': manifest.rollup.rpcUrl,
        'sequencer-p2p': manifest.rollup.p2p,
        l1: manifest.l1.rpcUrl,
        beacon: manifest.l1.beaconUrl,
        ipfs: manifest.services.ipfsHttp,
        poll: '500',
      },
      onEvent: (e) => events.push(e),
    })
    const replica = createPublicClient({ chain: sequencer.chain, transport: http(honest.operator.rpcUrl) })
    await sealL2Block()
    await until(
      'the replica to reach the sequencer',
      async () =>
        (await replica.getBlockNumber({ cacheTime: 0 })) >= (await sequencer.getBlockNumber({ cacheTime: 0 })),
    )
    // What a user of the replica sees is the sequencer's chain.
    const head = await sequencer.getBlockNumber({ cacheTime: 0 })
    expect(await replica.getBlock({ blockNumber: head })).toEqual(await sequencer.getBlock({ blockNumber: head }))

    const balanceBefore = await balanceOf(key.address)
    for (let epoch = 0; epoch < 3; epoch++) {
      await sealL2Block()
      const probe = await probeReplica(sequencer, {
        operatorUrl: honest.operator.url,
        escrow,
        bountyId: bounty.bountyId,
        agentId: honest.agentId,
        operator: key.address,
      })
      expect(probe).toMatchObject({ passed: true })
      const voucher = await payEpoch(poster.wallet, {
        escrow,
        bounty,
        agentId: honest.agentId,
        operatorUrl: honest.operator.url,
        probe,
        paidSoFar: paidToHonest,
      })
      paidToHonest = voucher.cumulativeAmount
    }
    // Three vouchers, one L1 settlement (settleEvery 3).
    await until('the operator to settle', async () => events.some((e) => e.event === 'settled'))
    const settled = events.filter((e) => e.event === 'settled')
    expect(settled).toHaveLength(1)
    expect(settled[0]).toMatchObject({ amount: String(3n * PRICE) })
    expect(await balanceOf(key.address)).toBe(balanceBefore + 3n * PRICE)

    const status = JSON.parse(
      (await run(process.execPath, [cli, 'status', String(bounty.bountyId)], { env: operatorEnv })).stdout,
    ) as { agentId: string; slot: { claimed: string; payee: Address } }
    expect(status).toMatchObject({
      agentId: String(honest.agentId),
      slot: { claimed: String(3n * PRICE), payee: key.address },
    })

    const reviewed = await reviewSettlements(
      poster.wallet,
      feedbackParams(bounty, honest.agentId, honest.payee, honestLedger),
    )
    expect(reviewed).toEqual([settled[0]!.tx])
    const feedback = await feedbackOf(honest.agentId, honest.payee)
    expect(feedback.entries).toHaveLength(1)
    expect(feedback.entries[0]!.entry).toMatchObject({ tag1: 'uptime', tag2: 'reachable', value: 100n })
    expect(feedback.entries[0]!.check).toMatchObject({ paid: true, amount: 3n * PRICE, txHash: settled[0]!.tx })
    expect(feedback.paid).toMatchObject({ count: 1 })
  }, 240_000)

  test('a replica that lies about a state root is not paid and its paid feedback turns to 0', async () => {
    const { key, wallet } = await newFundedAccount()
    const { agentId, payee } = await joinBounty(wallet, { escrow, identity, bountyId: bounty.bountyId })
    let lie = false
    const honestReader = rpcReplicaReader(honest.operator!.rpcUrl)
    const vouchers = fileVoucherStore(join(mkdtempSync(join(tmp, 'liar-')), 'vouchers.json'))
    const liar = await startOperatorServer({
      l1: wallet,
      escrow,
      bountyId: bounty.bountyId,
      agentId,
      key,
      chainId: BigInt(manifest.rollup.chainId),
      vouchers,
      read: async (n) => {
        const held = await honestReader(n)
        return held && lie ? { ...held, stateRoot: `0x${'5a'.repeat(32)}` } : held
      },
    })
    const ledger: FeedbackLedger = { reviewed: {} }
    const probe = () =>
      probeReplica(sequencer, {
        operatorUrl: liar.url,
        escrow,
        bountyId: bounty.bountyId,
        agentId,
        operator: key.address,
      })
    try {
      await sealL2Block()
      const served = await probe()
      expect(served.passed).toBe(true)
      await payEpoch(poster.wallet, { escrow, bounty, agentId, operatorUrl: liar.url, probe: served, paidSoFar: 0n })
      const settlement = await settleEpochs(wallet, { escrow, bountyId: bounty.bountyId, agentId, vouchers })
      expect(settlement?.amount).toBe(PRICE)
      await reviewSettlements(poster.wallet, feedbackParams(bounty, agentId, payee, ledger))

      lie = true
      await sealL2Block()
      const missed = await probe()
      expect(missed).toMatchObject({ passed: false, miss: 'stateRoot' })
      await expect(
        payEpoch(poster.wallet, { escrow, bounty, agentId, operatorUrl: liar.url, probe: missed, paidSoFar: PRICE }),
      ).rejects.toThrow(BountyError)
      expect(vouchers.latest(bounty.bountyId, agentId)?.cumulativeAmount).toBe(PRICE)

      const { tx, revoked } = await reportMiss(poster.wallet, {
        ...feedbackParams(bounty, agentId, payee, ledger),
        miss: 'stateRoot',
      })
      expect(tx).toBe(settlement!.hash)
      expect(revoked).toBeDefined()
      const feedback = await feedbackOf(agentId, payee)
      const counted = feedback.entries.filter((c) => c.check.paid && !c.entry.isRevoked)
      expect(counted.map((c) => [c.entry.tag2, c.entry.value])).toEqual([['stateRoot', 0n]])
      expect(feedback.paid).toMatchObject({ count: 1 })
    } finally {
      await liar.close()
    }
  }, 120_000)

  test('a replica that goes offline is not paid and its paid feedback turns to 0', async () => {
    const operator = honest.operator!
    await operator.stop()
    honest.operator = undefined
    const missed = await probeReplica(sequencer, {
      operatorUrl: operator.url,
      escrow,
      bountyId: bounty.bountyId,
      agentId: honest.agentId,
      operator: honest.key.address,
      timeoutMs: 2_000,
    })
    expect(missed).toMatchObject({ passed: false, miss: 'reachable' })
    await expect(
      payEpoch(poster.wallet, {
        escrow,
        bounty,
        agentId: honest.agentId,
        operatorUrl: operator.url,
        probe: missed,
        paidSoFar: paidToHonest,
      }),
    ).rejects.toThrow(/not served/)
    await reportMiss(poster.wallet, {
      ...feedbackParams(bounty, honest.agentId, honest.payee, honestLedger),
      miss: 'reachable',
    })
    const feedback = await feedbackOf(honest.agentId, honest.payee)
    const counted = feedback.entries.filter((c) => c.check.paid && !c.entry.isRevoked)
    expect(counted.map((c) => [c.entry.tag2, c.entry.value])).toEqual([['reachable', 0n]])
  }, 60_000)
})

describe('bad input', () => {
  test('a hostile operator cannot make the prober read an endless answer', async () => {
    // It answers every probe with 200 and bytes that never end, as fast as the socket takes them.
    const hostile = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      const pump = () => {
        while (res.write(chunk)) {}
      }
      res.on('drain', pump)
      pump()
    })
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve))
    try {
      const missed = await probeReplica(sequencer, {
        operatorUrl: `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`,
        escrow,
        bountyId: bounty.bountyId,
        agentId: honest.agentId,
        operator: honest.key.address,
        timeoutMs: 30_000,
      })
      expect(missed).toMatchObject({
        passed: false,
        miss: 'reachable',
        details: expect.stringMatching(/larger than 16384 bytes/),
      })
    } finally {
      hostile.closeAllConnections()
      hostile.close()
    }
  }, 60_000)

  test('the operator’s HTTP face and the escrow refuse malformed, oversized, misaddressed and forged input', async () => {
    const { key, wallet } = await newFundedAccount()
    const { bountyId } = await postBounty(poster.wallet, {
      escrow,
      kind: 'replica',
      inbox: manifest.contracts.rollupInbox,
      token: usd,
      pricePerEpoch: PRICE,
      epochLength: 60n,
      maxOperators: 1,
      funds: 2n * PRICE,
    })
    const own = await readBounty(l1, { escrow, bountyId })
    // Someone else's agent cannot take the slot.
    const stranger = await newFundedAccount()
    expect(await revertName(stranger.key.address, joinBountyCall(escrow, { bountyId, agentId: honest.agentId }))).toBe(
      'NotAgent',
    )
    const { agentId } = await joinBounty(wallet, { escrow, identity, bountyId })
    const vouchers = fileVoucherStore(join(mkdtempSync(join(tmp, 'bad-input-')), 'vouchers.json'))
    const accepted: bigint[] = []
    const server = await startOperatorServer({
      l1: wallet,
      escrow,
      bountyId,
      agentId,
      key,
      chainId: BigInt(manifest.rollup.chainId),
      vouchers,
      read: rpcReplicaReader(manifest.rollup.rpcUrl),
      onVoucher: (v) => accepted.push(v.cumulativeAmount),
    })
    const post = (path: string, body: string) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
        async (res) => {
          const json = (await res.json()) as { error?: { message: string }; added?: string }
          return { status: res.status, error: json.error?.message, added: json.added }
        },
      )
    const wire = (o: Record<string, unknown>) => JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? `${v}` : v))
    const voucher = async (signer: PrivateKeyAccount, cumulativeAmount: bigint) => ({
      bountyId,
      agentId,
      cumulativeAmount,
      signature: await signer.signTypedData(
        epochVoucherTypedData({ chainId: foundry.id, escrow, bountyId, agentId, cumulativeAmount }),
      ),
    })
    try {
      expect(await post('/probe', 'not json')).toMatchObject({ status: 400, error: 'body is not JSON' })
      expect(await post('/probe', wire({ bountyId, agentId, number: 1n, challenge: '0x12' }))).toMatchObject({
        status: 400,
      })
      expect((await post('/probe', 'x'.repeat(5_000))).status).toBe(413)
      const challenge = `0x${'11'.repeat(32)}`
      expect(await post('/probe', wire({ bountyId: bountyId + 1n, agentId, number: 1n, challenge }))).toMatchObject({
        status: 404,
      })
      expect(await post('/probe', wire({ bountyId, agentId, number: 10n ** 12n, challenge }))).toMatchObject({
        status: 404,
        error: 'the replica does not hold that block yet',
      })

      // A voucher the operator signed itself, one above the slot, then a good one replayed, and one adding less
      // than an epoch.
      expect(await post('/voucher', wire(await voucher(key, PRICE)))).toMatchObject({
        status: 400,
        error: 'the voucher is not signed by the bounty poster',
      })
      expect(await post('/voucher', wire(await voucher(poster.key, 3n * PRICE)))).toMatchObject({
        status: 400,
        error: 'the voucher exceeds the slot allotment',
      })
      const good = await voucher(poster.key, PRICE)
      expect((await post('/voucher', wire(good))).status).toBe(200)
      expect(accepted).toEqual([PRICE])
      // The same total again (a poster that never got the answer re-sends it, 0802): taken, nothing added, not
      // counted as a new voucher (no second settlement).
      expect(await post('/voucher', wire(good))).toMatchObject({ status: 200, added: '0' })
      expect(accepted).toEqual([PRICE])
      expect(await post('/voucher', wire(await voucher(poster.key, PRICE + 1n)))).toMatchObject({
        status: 400,
        error: 'the voucher adds less than one epoch',
      })
      expect(await post('/voucher', wire(await voucher(poster.key, PRICE - 1n)))).toMatchObject({
        status: 400,
        error: 'the voucher adds less than one epoch',
      })
      expect(vouchers.latest(bountyId, agentId)?.cumulativeAmount).toBe(PRICE)
    } finally {
      await server.close()
    }

    // The escrow: a full bounty, forged or oversized vouchers, unpayable terms.
    expect(await revertName(key.address, joinBountyCall(escrow, { bountyId, agentId: agentId }))).toBe('BountyFull')
    expect(await revertName(key.address, claimEpochsCall(escrow, await voucher(key, PRICE)))).toBe('InvalidVoucher')
    expect(await revertName(key.address, claimEpochsCall(escrow, await voucher(poster.key, 3n * PRICE)))).toBe(
      'VoucherExceedsAllotment',
    )
    expect(
      await revertName(
        poster.key.address,
        postBountyCall(escrow, {
          kind: 'replica',
          inbox: own.inbox,
          token: usd,
          pricePerEpoch: 0n,
          epochLength: 60n,
          maxOperators: 1,
          funds: 1n,
        }),
      ),
    ).toBe('InvalidTerms')

    // A settlement counts as proof of payment only on an escrow the reader trusts: the same contract deployed
    // elsewhere (anyone can, and make it emit what they like) pays nothing in the wallet's summaries.
    const copy = (
      await l1.waitForTransactionReceipt({
        hash: await poster.wallet.deployContract({
          abi: SeedBountyEscrowAbi,
          bytecode: SeedBountyEscrowBytecode,
          args: [identity],
        }),
      })
    ).contractAddress!
    const elsewhere = await postBounty(poster.wallet, {
      ...bountyTermsOf(own),
      escrow: copy,
      maxOperators: 1,
      funds: PRICE,
    })
    const { payee } = await joinBounty(wallet, { escrow: copy, identity, bountyId: elsewhere.bountyId, agentId })
    const signature = await poster.key.signTypedData(
      epochVoucherTypedData({
        chainId: foundry.id,
        escrow: copy,
        bountyId: elsewhere.bountyId,
        agentId,
        cumulativeAmount: PRICE,
      }),
    )
    const claimed = await wallet.sendTransaction(
      claimEpochsCall(copy, { bountyId: elsewhere.bountyId, agentId, cumulativeAmount: PRICE, signature }),
    )
    expect((await l1.waitForTransactionReceipt({ hash: claimed })).status).toBe('success')
    const proof = { fromAddress: poster.key.address, toAddress: payee, chainId: String(foundry.id), txHash: claimed }
    const check = { proof, giver: poster.key.address, agentWallet: payee, chainId: foundry.id }
    expect(await verifyProofOfPayment(l1, check)).toEqual({ paid: false, reason: 'no payment' })
    expect(await verifyProofOfPayment(l1, { ...check, escrows: [copy] })).toMatchObject({ paid: true, amount: PRICE })

    // The CLI: a missing key or data directory is a usage error (exit 2), not a crash.
    const env = { ...process.env, SEED_OPERATOR_KEY: '' }
    await expect(run(process.execPath, [cli, 'join', String(bountyId)], { env })).rejects.toMatchObject({ code: 2 })
    await expect(
      run(process.execPath, [cli, 'run', String(bountyId)], {
        env: { ...env, SEED_OPERATOR_KEY: generatePrivateKey() },
      }),
    ).rejects.toMatchObject({ code: 2 })
  }, 120_000)
})

const bountyTermsOf = (b: Bounty) => ({
  kind: b.kind,
  inbox: b.inbox,
  token: b.token,
  pricePerEpoch: b.pricePerEpoch,
  epochLength: b.epochLength,
})
