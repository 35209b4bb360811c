/**
 * ERC-8004 registries on the devnet: identities (ERC-721, URIs, metadata, the agent wallet proven by an
 * EOA signature or a SeedAccount's ERC-1271, cleared on transfer), feedback (values, tags, revocation,
 * responses, summaries, only paid feedback counted by a reader) and validation. Bad input is refused
 * with the registries' custom errors.
 */
import { devAccount } from '@seed/devnet'
import {
  type Address,
  type BaseError,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  parseEther,
  stringToHex,
  zeroAddress,
} from 'viem'
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { describe, expect, inject, test } from 'vitest'
import {
  agentRegistryId,
  agentWalletTypedData,
  appendResponseCall,
  encodeFeedbackFile,
  type FeedbackFile,
  giveFeedbackCall,
  IdentityRegistryAbi,
  listAgents,
  listFeedback,
  onePaymentOneFeedback,
  parseFeedbackFile,
  ReputationRegistryAbi,
  readAgent,
  registerAgentCall,
  revokeFeedbackCall,
  SeedAccountAbi,
  SeedAccountFactoryAbi,
  SeedUSDAbi,
  seedAddresses,
  seedErc8004Registries,
  setAgentURICall,
  setAgentWalletCall,
  summarizeFeedback,
  ValidationRegistryAbi,
  validationRequestCall,
  validationResponseCall,
  verifyProofOfPayment,
} from '../src/index.ts'

const manifest = inject('manifest')
const transport = http(manifest.l1.rpcUrl)
const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
const funder = createWalletClient({ chain: foundry, transport, account: devAccount('user') })
const registries = seedErc8004Registries()
const { identity, reputation, validation } = registries
const registriesAbi = [...IdentityRegistryAbi, ...ReputationRegistryAbi, ...ValidationRegistryAbi]

async function newFundedAccount() {
  const account = privateKeyToAccount(generatePrivateKey())
  await publicClient.waitForTransactionReceipt({
    hash: await funder.sendTransaction({ to: account.address, value: parseEther('1') }),
  })
  return account
}

const walletOf = (account: PrivateKeyAccount) => createWalletClient({ chain: foundry, transport, account })

/** Sends a registry call from an EOA and waits for it (reverts surface as viem's typed errors). */
async function send(account: PrivateKeyAccount, call: { to: Address; data: Hex }) {
  const hash = await walletOf(account).sendTransaction(call)
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  return receipt
}

/** The custom error a call from `account` reverts with, decoded with the registries' ABIs. */
async function revertName(account: Address, call: { to: Address; data: Hex }) {
  const error = await publicClient.call({ account, ...call }).then(
    () => undefined,
    (e: BaseError) => e,
  )
  const raw = error?.walk((e) => typeof (e as { data?: unknown }).data === 'string') as { data?: Hex } | null
  if (!raw?.data) return undefined
  return decodeErrorResult({ abi: registriesAbi, data: raw.data }).errorName
}

async function registeredId(account: PrivateKeyAccount, agentURI: string) {
  const receipt = await send(account, registerAgentCall(identity, { agentURI }))
  const [log] = (await publicClient.getContractEvents({
    address: identity,
    abi: IdentityRegistryAbi,
    eventName: 'Registered',
    blockHash: receipt.blockHash,
    strict: true,
  })) as { args: { agentId: bigint; owner: Address } }[]
  expect(log?.args.owner).toBe(account.address)
  return log!.args.agentId
}

/** A fresh SeedAccount of `owner` (deployed: its ERC-1271 answers on chain). */
async function seedAccountOf(owner: PrivateKeyAccount) {
  const factory = seedAddresses().seedAccountFactory
  const salt = BigInt(keccak256(stringToHex(owner.address))) % 1_000_000n
  await send(owner, {
    to: factory,
    data: encodeCall(SeedAccountFactoryAbi, 'createAccount', [owner.address, salt]),
  })
  return publicClient.readContract({
    address: factory,
    abi: SeedAccountFactoryAbi,
    functionName: 'getAddress',
    args: [owner.address, salt],
  })
}

const encodeCall = (abi: readonly unknown[], functionName: string, args: readonly unknown[]) =>
  encodeFunctionData({ abi: abi as never, functionName, args } as never)

async function walletProof(p: { agentId: bigint; newWallet: Address; owner: Address; signer: PrivateKeyAccount }) {
  const { timestamp } = await publicClient.getBlock()
  const deadline = timestamp + 120n
  const typed = agentWalletTypedData({ chainId: foundry.id, identity, deadline, ...p })
  return { deadline, typed }
}

describe('ERC-8004 identity registry', () => {
  test('register variants, URI and metadata updates by the owner only; reserved key refused', async () => {
    const alice = await newFundedAccount()
    const mallory = await newFundedAccount()
    const bare = await send(alice, registerAgentCall(identity))
    expect(bare.status).toBe('success')
    const agentId = await registeredId(alice, 'ipfs://first')
    const withMetadata = await send(
      alice,
      registerAgentCall(identity, {
        agentURI: 'ipfs://meta',
        metadata: [{ metadataKey: 'role', metadataValue: stringToHex('replica') }],
      }),
    )
    expect(withMetadata.status).toBe('success')
    expect(await readAgent(publicClient, { identity, agentId })).toEqual({
      agentId,
      owner: alice.address,
      agentURI: 'ipfs://first',
      agentWallet: alice.address, // the owner until a wallet is proven
    })

    await send(alice, setAgentURICall(identity, { agentId, agentURI: 'ipfs://second' }))
    expect((await readAgent(publicClient, { identity, agentId })).agentURI).toBe('ipfs://second')
    expect(await revertName(mallory.address, setAgentURICall(identity, { agentId, agentURI: 'ipfs://stolen' }))).toBe(
      'NotAgentOwnerOrOperator',
    )
    const setMeta = (key: string) => ({
      to: identity,
      data: encodeCall(IdentityRegistryAbi, 'setMetadata', [agentId, key, stringToHex('x')]),
    })
    expect(await revertName(mallory.address, setMeta('role'))).toBe('NotAgentOwnerOrOperator')
    expect(await revertName(alice.address, setMeta('agentWallet'))).toBe('ReservedMetadataKey')
    await send(alice, setMeta('role'))
    expect(
      await publicClient.readContract({
        address: identity,
        abi: IdentityRegistryAbi,
        functionName: 'getMetadata',
        args: [agentId, 'role'],
      }),
    ).toBe(stringToHex('x'))
    expect((await listAgents(publicClient, { identity })).some((a) => a.agentId === agentId)).toBe(true)
  })

  test('agent wallet: an EOA proves it by EIP-712, a SeedAccount by ERC-1271; wrong proofs refused; transfer clears it', async () => {
    const owner = await newFundedAccount()
    const agentId = await registeredId(owner, 'ipfs://wallets')
    const walletKey = privateKeyToAccount(generatePrivateKey())

    // EOA wallet: its own EIP-712 signature.
    const eoa = await walletProof({ agentId, newWallet: walletKey.address, owner: owner.address, signer: walletKey })
    const eoaSignature = await walletKey.signTypedData(eoa.typed)
    await send(
      owner,
      setAgentWalletCall(identity, {
        agentId,
        newWallet: walletKey.address,
        deadline: eoa.deadline,
        signature: eoaSignature,
      }),
    )
    expect((await readAgent(publicClient, { identity, agentId })).agentWallet).toBe(walletKey.address)

    // Smart-account wallet: the SeedAccount's owner signs the account's replay-safe wrapper of the digest.
    const smartOwner = await newFundedAccount()
    const smart = await seedAccountOf(smartOwner)
    const proof = await walletProof({ agentId, newWallet: smart, owner: owner.address, signer: smartOwner })
    const digest = await publicClient.readContract({
      address: identity,
      abi: IdentityRegistryAbi,
      functionName: 'agentWalletDigest',
      args: [agentId, smart, owner.address, proof.deadline],
    })
    const wrapped = await publicClient.readContract({
      address: smart,
      abi: SeedAccountAbi,
      functionName: 'replaySafeHash',
      args: [digest],
    })
    const smartSignature = await smartOwner.sign({ hash: wrapped })
    const call = (signature: Hex, newWallet: Address = smart, deadline = proof.deadline) =>
      setAgentWalletCall(identity, { agentId, newWallet, deadline, signature })

    // Wrong proofs: the owner's key signing the bare digest, a personal_sign of it, another key, an EOA's
    // signature presented for the smart account.
    expect(await revertName(owner.address, call(await smartOwner.sign({ hash: digest })))).toBe('InvalidWalletProof')
    expect(await revertName(owner.address, call(await smartOwner.signMessage({ message: { raw: digest } })))).toBe(
      'InvalidWalletProof',
    )
    expect(await revertName(owner.address, call(eoaSignature))).toBe('InvalidWalletProof')
    expect(await revertName(owner.address, call(smartSignature, walletKey.address))).toBe('InvalidWalletProof')
    expect(await revertName(owner.address, call(smartSignature, smart, proof.deadline + 3600n))).toBe(
      'WalletProofDeadlineTooFar',
    )
    expect(await revertName(owner.address, call(smartSignature, smart, 1n))).toBe('WalletProofExpired')
    expect(await revertName(owner.address, call(smartSignature, zeroAddress))).toBe('ZeroAgentWallet')
    const stranger = await newFundedAccount()
    expect(await revertName(stranger.address, call(smartSignature))).toBe('NotAgentOwnerOrOperator')

    await send(owner, call(smartSignature))
    expect((await readAgent(publicClient, { identity, agentId })).agentWallet).toBe(smart)

    // Transfer: the new owner does not inherit the proven wallet.
    await send(owner, {
      to: identity,
      data: encodeCall(IdentityRegistryAbi, 'transferFrom', [owner.address, stranger.address, agentId]),
    })
    expect(await readAgent(publicClient, { identity, agentId })).toMatchObject({
      owner: stranger.address,
      agentWallet: zeroAddress,
    })
  })

  test('a SeedAccount can own an identity (registers through its owner’s execute)', async () => {
    const smartOwner = await newFundedAccount()
    const smart = await seedAccountOf(smartOwner)
    const register = registerAgentCall(identity, { agentURI: 'ipfs://smart' })
    const receipt = await send(smartOwner, {
      to: smart,
      data: encodeCall(SeedAccountAbi, 'execute', [register.to, 0n, register.data]),
    })
    const [log] = await publicClient.getContractEvents({
      address: identity,
      abi: IdentityRegistryAbi,
      eventName: 'Registered',
      blockHash: receipt.blockHash,
      strict: true,
    })
    expect(log?.args.owner).toBe(smart)
    expect((await readAgent(publicClient, { identity, agentId: log!.args.agentId })).agentWallet).toBe(smart)
  })
})

describe('ERC-8004 reputation registry', () => {
  test('feedback, revocation, responses and summaries; self-feedback and out-of-range values refused', async () => {
    const seller = await newFundedAccount()
    const buyer = await newFundedAccount()
    const critic = await newFundedAccount()
    const agentId = await registeredId(seller, 'ipfs://seller')

    expect(
      await revertName(seller.address, giveFeedbackCall(reputation, { agentId, value: 100n, valueDecimals: 0 })),
    ).toBe('SelfFeedback')
    // An approved operator of the agent is the agent too.
    await send(seller, {
      to: identity,
      data: encodeCall(IdentityRegistryAbi, 'approve', [critic.address, agentId]),
    })
    expect(
      await revertName(critic.address, giveFeedbackCall(reputation, { agentId, value: 100n, valueDecimals: 0 })),
    ).toBe('SelfFeedback')
    await send(seller, { to: identity, data: encodeCall(IdentityRegistryAbi, 'approve', [zeroAddress, agentId]) })
    expect(
      await revertName(buyer.address, giveFeedbackCall(reputation, { agentId, value: 1n, valueDecimals: 19 })),
    ).toBe('FeedbackValueOutOfRange')
    expect(
      await revertName(
        buyer.address,
        giveFeedbackCall(reputation, { agentId, value: 10n ** 38n + 1n, valueDecimals: 0 }),
      ),
    ).toBe('FeedbackValueOutOfRange')
    expect(
      await revertName(
        buyer.address,
        giveFeedbackCall(reputation, { agentId: 10n ** 9n, value: 1n, valueDecimals: 0 }),
      ),
    ).toBe('ERC721NonexistentToken')

    await send(buyer, giveFeedbackCall(reputation, { agentId, value: 90n, valueDecimals: 0, tag1: 'uptime' }))
    await send(buyer, giveFeedbackCall(reputation, { agentId, value: 9950n, valueDecimals: 2, tag1: 'uptime' }))
    await send(critic, giveFeedbackCall(reputation, { agentId, value: -50n, valueDecimals: 0, tag1: 'speed' }))
    const summary = (clients: Address[], tag1 = '') =>
      publicClient.readContract({
        address: reputation,
        abi: ReputationRegistryAbi,
        functionName: 'getSummary',
        args: [agentId, clients, tag1, ''],
      })
    // (90.00 + 99.50 - 50.00) / 3 = 46.50
    expect(await summary([])).toEqual([3n, 4650n, 2])
    expect(await summary([], 'uptime')).toEqual([2n, 9475n, 2])
    expect(await summary([critic.address])).toEqual([1n, -50n, 0])

    await send(critic, revokeFeedbackCall(reputation, { agentId, feedbackIndex: 1n }))
    expect(await revertName(critic.address, revokeFeedbackCall(reputation, { agentId, feedbackIndex: 1n }))).toBe(
      'FeedbackAlreadyRevoked',
    )
    expect(await revertName(critic.address, revokeFeedbackCall(reputation, { agentId, feedbackIndex: 2n }))).toBe(
      'FeedbackNotFound',
    )
    expect(await summary([])).toEqual([2n, 9475n, 2])

    await send(
      seller,
      appendResponseCall(reputation, {
        agentId,
        clientAddress: buyer.address,
        feedbackIndex: 1n,
        responseURI: 'ipfs://thanks',
      }),
    )
    expect(
      await revertName(
        seller.address,
        appendResponseCall(reputation, { agentId, clientAddress: buyer.address, feedbackIndex: 9n, responseURI: 'x' }),
      ),
    ).toBe('FeedbackNotFound')
    const entries = await listFeedback(publicClient, { reputation, agentId })
    expect(entries.map((e) => [e.clientAddress, e.feedbackIndex, e.isRevoked, e.responses.length])).toEqual([
      [buyer.address, 1n, false, 1],
      [buyer.address, 2n, false, 0],
      [critic.address, 1n, true, 0],
    ])
    expect(entries[0]!.responses[0]).toMatchObject({ responder: seller.address, responseURI: 'ipfs://thanks' })
    expect(summarizeFeedback(entries)).toEqual({ count: 2, value: 9475n, valueDecimals: 2 })
  })

  test('only feedback whose proof of payment checks out counts in a reader’s summary', async () => {
    const seller = await newFundedAccount()
    const payer = await newFundedAccount()
    const freeloader = await newFundedAccount()
    const agentId = await registeredId(seller, 'ipfs://paid')
    const { usd } = seedAddresses()
    // The payer buys: Seed USD to the agent's wallet (what an x402 settlement leaves on chain).
    await publicClient.waitForTransactionReceipt({
      hash: await funder.writeContract({
        address: usd,
        abi: SeedUSDAbi,
        functionName: 'transfer',
        args: [payer.address, 5_000_000n],
      }),
    })
    const paid = await walletOf(payer).writeContract({
      address: usd,
      abi: SeedUSDAbi,
      functionName: 'transfer',
      args: [seller.address, 1_000_000n],
    })
    await publicClient.waitForTransactionReceipt({ hash: paid })

    const files = new Map<string, FeedbackFile>()
    async function feedback(from: PrivateKeyAccount, value: bigint, txHash: Hex | undefined, payer = from.address) {
      const file: FeedbackFile = {
        agentRegistry: agentRegistryId(foundry.id, identity),
        agentId: Number(agentId),
        clientAddress: `eip155:${foundry.id}:${from.address}`,
        createdAt: new Date().toISOString(),
        value: String(value),
        valueDecimals: 0,
        ...(txHash && {
          proofOfPayment: { fromAddress: payer, toAddress: seller.address, chainId: String(foundry.id), txHash },
        }),
      }
      const bytes = encodeFeedbackFile(file)
      const uri = `test://${keccak256(bytes)}`
      files.set(uri, parseFeedbackFile(bytes))
      await send(
        from,
        giveFeedbackCall(reputation, {
          agentId,
          value,
          valueDecimals: 0,
          feedbackURI: uri,
          feedbackHash: keccak256(bytes),
        }),
      )
    }
    await feedback(payer, 100n, paid)
    await feedback(payer, 100n, paid) // the same payment again: one purchase backs one review
    await feedback(freeloader, 0n, undefined) // no proof at all
    await feedback(freeloader, 0n, paid) // someone else's payment claimed as its own
    await feedback(freeloader, 0n, paid, payer.address) // someone else's payment, naming the real payer

    const checks = onePaymentOneFeedback(
      await Promise.all(
        (await listFeedback(publicClient, { reputation, agentId })).map(async (entry) => ({
          entry,
          check: await verifyProofOfPayment(publicClient, {
            proof: files.get(entry.feedbackURI)?.proofOfPayment,
            giver: entry.clientAddress,
            agentWallet: seller.address,
            chainId: foundry.id,
          }),
        })),
      ),
    )
    expect(checks.map((c) => (c.check.paid ? 'paid' : c.check.reason))).toEqual([
      'paid',
      'payment already used',
      'no proof',
      'no payment',
      'wrong parties',
    ])
    expect(checks[0]!.check).toEqual({ paid: true, asset: usd, amount: 1_000_000n, txHash: paid })
    expect(summarizeFeedback(checks.map((c) => c.entry))).toMatchObject({ count: 5 })
    expect(summarizeFeedback(checks.filter((c) => c.check.paid).map((c) => c.entry))).toEqual({
      count: 1,
      value: 100n,
      valueDecimals: 0,
    })
    // A proof pointing at a transaction that paid nobody (the feedback tx itself) does not verify either.
    const [own] = await publicClient.getContractEvents({
      address: reputation,
      abi: ReputationRegistryAbi,
      eventName: 'NewFeedback',
      args: { agentId, clientAddress: payer.address },
      fromBlock: 0n,
    })
    const bogus = await verifyProofOfPayment(publicClient, {
      proof: {
        fromAddress: payer.address,
        toAddress: seller.address,
        chainId: String(foundry.id),
        txHash: own!.transactionHash,
      },
      giver: payer.address,
      agentWallet: seller.address,
      chainId: foundry.id,
    })
    expect(bogus).toEqual({ paid: false, reason: 'no payment' })
  })
})

describe('ERC-8004 validation registry', () => {
  test('the owner requests, only the named validator answers (0–100), summaries count answers', async () => {
    const agent = await newFundedAccount()
    const verifier = await newFundedAccount()
    const other = await newFundedAccount()
    const agentId = await registeredId(agent, 'ipfs://validated')
    const requestHash = keccak256(stringToHex(`batches 1-10 of ${agentId}`))
    const request = validationRequestCall(validation, {
      validatorAddress: verifier.address,
      agentId,
      requestURI: 'ipfs://request',
      requestHash,
    })
    expect(await revertName(other.address, request)).toBe('NotAgentOwnerOrOperator')
    await send(agent, request)
    expect(await revertName(agent.address, request)).toBe('ValidationRequestExists')
    const respond = (response: number) =>
      validationResponseCall(validation, { requestHash, response, responseURI: 'ipfs://rederived', tag: 'rederive' })
    expect(await revertName(other.address, respond(100))).toBe('NotTheValidator')
    expect(await revertName(verifier.address, respond(101))).toBe('ValidationResponseOutOfRange')
    expect(
      await revertName(
        verifier.address,
        validationResponseCall(validation, { requestHash: keccak256('0x01'), response: 1 }),
      ),
    ).toBe('UnknownValidationRequest')
    await send(verifier, respond(100))
    const status = await publicClient.readContract({
      address: validation,
      abi: ValidationRegistryAbi,
      functionName: 'getValidationStatus',
      args: [requestHash],
    })
    expect(status.slice(0, 5)).toEqual([verifier.address, agentId, 100, expect.any(String), 'rederive'])
    expect(
      await publicClient.readContract({
        address: validation,
        abi: ValidationRegistryAbi,
        functionName: 'getSummary',
        args: [agentId, [], 'rederive'],
      }),
    ).toEqual([1n, 100])
  })
})
