/**
 * L1 state the Agents and Bridge pages show, made for real on the devnet with @seed/contracts' typed
 * calls: an agent that registers, publishes its file on the IPFS peer and proves a new wallet, feedback
 * with and without a payment (and the agent's response), and an agent chain with a bridge config and a
 * deposit. Everything is new (fresh keys, a new inbox, a new agent): nothing the other suites use changes.
 */
import {
  agentRegistrationFile,
  agentRegistryId,
  agentWalletTypedData,
  appendResponseCall,
  BRIDGE_CONFIG_PRESETS,
  claimEpochsCall,
  depositEth,
  encodeFeedbackFile,
  encodeRegistrationFile,
  epochVoucherTypedData,
  giveFeedbackCall,
  IdentityRegistryAbi,
  parseTransactionDeposited,
  RollupInboxFactoryAbi,
  rawCidOf,
  registerAgentCall,
  registerBridgeConfig,
  SERVICE_KINDS,
  SeedUSDAbi,
  seedBountyEscrow,
  seedErc8004Registries,
  setAgentURICall,
  setAgentWalletCall,
} from '@seed/contracts'
import { devAccount, type Manifest } from '@seed/devnet'
import { joinBounty, postBounty } from '@seed/operator'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  type Hash,
  type Hex,
  http,
  keccak256,
  parseEther,
  parseEventLogs,
} from 'viem'
import { generatePrivateKey, type LocalAccount, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'

export function l1Clients(manifest: Manifest) {
  const chain = defineChain({
    id: manifest.l1.chainId,
    name: 'L1',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [manifest.l1.rpcUrl] } },
  })
  const transport = http(manifest.l1.rpcUrl)
  const client = createPublicClient({ chain, transport, pollingInterval: 100 })
  const send = async (account: LocalAccount, call: { to: Address; data: Hex; value?: bigint }) => {
    const hash = await createWalletClient({ chain, transport, account }).sendTransaction(call)
    const receipt = await client.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`${hash} reverted`)
    return receipt
  }
  const funded = async (eth = '1') => {
    const account = privateKeyToAccount(generatePrivateKey())
    const funder = createWalletClient({ chain, transport, account: devAccount('user') })
    await client.waitForTransactionReceipt({
      hash: await funder.sendTransaction({ to: account.address, value: parseEther(eth) }),
    })
    return account
  }
  return { chain, client, send, funded }
}

/** Pins `bytes` on the stack's IPFS peer under a dev key the peer admits (decision 0310). */
async function pin(manifest: Manifest, bytes: Uint8Array) {
  const cid = rawCidOf(bytes)
  const signature = await devAccount('user').signMessage({ message: `seed-pin:${cid}` })
  const response = await fetch(`${manifest.services.ipfsHttp}/pin?cid=${cid}`, {
    method: 'POST',
    headers: { 'seed-pin-signature': signature },
    body: new Blob([bytes as Uint8Array<ArrayBuffer>]),
  })
  if (!response.ok) throw new Error(`pin: ${response.status} ${await response.text()}`)
  return cid
}

export type RegisteredAgent = {
  agentId: bigint
  owner: Address
  /** The owner's key: it joins bounties as this agent. */
  ownerAccount: PrivateKeyAccount
  wallet: Address
  cid: string
  name: string
  payment: Hash
}

/**
 * An agent serving a rollup RPC and x402, with a wallet proven by an ECDSA `AgentWalletSet` signature,
 * one paid review (the payment to its wallet cited in the feedback file), one unpaid review, and its
 * response to the paid one.
 */
export async function registerAgent(manifest: Manifest, name: string): Promise<RegisteredAgent> {
  const { client, send, funded } = l1Clients(manifest)
  const { identity, reputation } = seedErc8004Registries()
  const chainId = manifest.l1.chainId
  const owner = await funded()
  const wallet = privateKeyToAccount(generatePrivateKey())
  const receipt = await send(owner, registerAgentCall(identity))
  const [registered] = parseEventLogs({ abi: IdentityRegistryAbi, eventName: 'Registered', logs: receipt.logs })
  const agentId = registered!.args.agentId
  const file = agentRegistrationFile({
    name,
    description: `${name}: a test agent of the web suite`,
    services: [
      { name: SERVICE_KINDS.rollupRpc, endpoint: manifest.rollup.rpcUrl },
      { name: SERVICE_KINDS.x402, endpoint: 'http://127.0.0.1:1/paid' },
    ],
    x402Support: true,
    registrations: [{ agentId: Number(agentId), agentRegistry: agentRegistryId(chainId, identity) }],
  })
  const cid = await pin(manifest, encodeRegistrationFile(file))
  await send(owner, setAgentURICall(identity, { agentId, agentURI: `ipfs://${cid}` }))
  const { timestamp } = await client.getBlock()
  const deadline = timestamp + 240n
  const signature = await wallet.signTypedData(
    agentWalletTypedData({ chainId, identity, agentId, newWallet: wallet.address, owner: owner.address, deadline }),
  )
  await send(owner, setAgentWalletCall(identity, { agentId, newWallet: wallet.address, deadline, signature }))

  // A customer pays the agent's wallet, then reviews it citing that payment; a passer-by reviews for free.
  const customer = await funded()
  const payment = (await send(customer, { to: wallet.address, data: '0x', value: parseEther('0.001') })).transactionHash
  const feedback = encodeFeedbackFile({
    agentRegistry: agentRegistryId(chainId, identity),
    agentId: Number(agentId),
    clientAddress: `eip155:${chainId}:${customer.address}`,
    createdAt: new Date().toISOString(),
    value: '95',
    valueDecimals: 0,
    proofOfPayment: {
      fromAddress: customer.address,
      toAddress: wallet.address,
      chainId: String(chainId),
      txHash: payment,
    },
  })
  const feedbackCid = await pin(manifest, feedback)
  await send(
    customer,
    giveFeedbackCall(reputation, {
      agentId,
      value: 95n,
      valueDecimals: 0,
      tag1: 'uptime',
      feedbackURI: `ipfs://${feedbackCid}`,
      feedbackHash: keccak256(feedback),
    }),
  )
  const passerBy = await funded()
  await send(passerBy, giveFeedbackCall(reputation, { agentId, value: 10n, valueDecimals: 0, tag1: 'uptime' }))
  await send(
    owner,
    appendResponseCall(reputation, {
      agentId,
      clientAddress: customer.address,
      feedbackIndex: 1n,
      responseURI: 'https://example.com/thanks',
    }),
  )
  return { agentId, owner: owner.address, ownerAccount: owner, wallet: wallet.address, cid, name, payment }
}

/** A new agent chain (inbox from the factory) with the devnet bridge preset registered by its owner. */
export async function bridgedChain(manifest: Manifest) {
  const { client, send, funded } = l1Clients(manifest)
  const owner = await funded()
  const created = await send(owner, {
    to: manifest.contracts.rollupInboxFactory,
    data: encodeFunctionData({
      abi: RollupInboxFactoryAbi,
      functionName: 'createInbox',
      args: [owner.address],
    }),
  })
  const [assigned] = parseEventLogs({ abi: RollupInboxFactoryAbi, eventName: 'ChainIdAssigned', logs: created.logs })
  const { inbox, chainId } = assigned!.args
  await send(
    owner,
    registerBridgeConfig({
      inbox,
      config: { ...BRIDGE_CONFIG_PRESETS.devnet, guardians: [owner.address], threshold: 1n },
    }),
  )
  const deposit = async (amount: bigint) => {
    const depositor = await funded()
    const receipt = await send(depositor, await depositEth(client, { inbox, to: depositor.address, amount }))
    const [made] = parseTransactionDeposited(receipt.logs)
    return { from: depositor.address, txHash: receipt.transactionHash, nonce: made!.nonce }
  }
  return { inbox, chainId, deposit }
}

export const BOUNTY_PRICE = 250_000n // 0.25 USDS per epoch

/**
 * A replica bounty for the devnet's own chain, posted by a fresh EOA with `postBounty` (the payer library),
 * joined by `agent` (`joinBounty`, as `seed-operator join` does), and one epoch paid: the poster signs the
 * voucher for one price and the operator claims it, so the escrow emits `EpochsPaid`.
 */
export async function postedBounty(manifest: Manifest, agent: RegisteredAgent) {
  const { chain, send, funded } = l1Clients(manifest)
  const escrow = seedBountyEscrow()
  const { identity } = seedErc8004Registries()
  const poster = await funded()
  await send(devAccount('deployer'), {
    to: manifest.contracts.usd,
    data: encodeFunctionData({ abi: SeedUSDAbi, functionName: 'mint', args: [poster.address, 2_000_000n] }),
  })
  const wallet = (account: PrivateKeyAccount) =>
    createWalletClient({ chain, transport: http(manifest.l1.rpcUrl), account })
  const { bountyId } = await postBounty(wallet(poster), {
    escrow,
    kind: 'replica',
    inbox: manifest.contracts.rollupInbox,
    token: manifest.contracts.usd,
    pricePerEpoch: BOUNTY_PRICE,
    epochLength: 3600n,
    maxOperators: 2,
    funds: 2_000_000n,
  })
  await joinBounty(wallet(agent.ownerAccount), { escrow, identity, bountyId, agentId: agent.agentId })
  const signature = await poster.signTypedData(
    epochVoucherTypedData({
      chainId: manifest.l1.chainId,
      escrow,
      bountyId,
      agentId: agent.agentId,
      cumulativeAmount: BOUNTY_PRICE,
    }),
  )
  await send(
    agent.ownerAccount,
    claimEpochsCall(escrow, { bountyId, agentId: agent.agentId, cumulativeAmount: BOUNTY_PRICE, signature }),
  )
  return { bountyId, poster: poster.address }
}
