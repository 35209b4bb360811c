/**
 * The ERC-8004 directory of the selected network (decisions 0800, 0801), counted the way the wallet
 * counts it: agents from the identity registry's `Registered` logs, each registration file read through
 * the network's IPFS peer and checked here (bytes against the CID, the file naming this agent, a wallet
 * on record), the wallet's proof re-verified in the browser, and reputation counting only feedback a
 * payment backs (`checkFeedbackEntries` from @seed/contracts, the wallet's own rule).
 */
import {
  type AgentIdentity,
  agentWalletTypedData,
  checkFeedbackEntries,
  type DiscoveredAgent,
  type Erc8004Registries,
  fetchIpfsFile,
  IdentityRegistryAbi,
  inspectAgent,
  joinFeedback,
  MAX_FEEDBACK_FILE_BYTES,
  ReputationRegistryAbi,
  readAgent,
  seedErc8004Registries,
  servicesOfKind,
} from '@seed/contracts'
import {
  type Address,
  decodeFunctionData,
  type Hash,
  type Hex,
  isAddressEqual,
  type PublicClient,
  toFunctionSelector,
  zeroAddress,
} from 'viem'
import { type BlockRange, inWindows, logWindows } from './logs.ts'
import type { Network } from './network.ts'

/** Seed's registries (deterministic: the same on every L1 Seed is deployed to). */
export const registriesOf = (_network: Network): Erc8004Registries => seedErc8004Registries()

function fetcher(network: Network, maxBytes?: number) {
  return (uri: string) => {
    if (!network.ipfsUrl) throw new Error('this network has no IPFS peer')
    return fetchIpfsFile(network.ipfsUrl, uri, maxBytes ? { maxBytes } : {})
  }
}

/** The directory reads (and fetches the files of) at most this many agents, the newest: a page, not a crawler. */
export const MAX_LISTED_AGENTS = 200

/** Registered agents, newest first; with `kind`, only those whose file lists a service of that kind. */
export async function agentDirectory(network: Network, kind?: string): Promise<DiscoveredAgent[]> {
  const { l1, manifest } = network
  const { identity } = registriesOf(network)
  const registered = await inWindows(l1, (range) =>
    l1.getContractEvents({
      address: identity,
      abi: IdentityRegistryAbi,
      eventName: 'Registered',
      ...range,
      strict: true,
    }),
  )
  const ids = registered
    .map((log) => log.args.agentId)
    .reverse()
    .slice(0, MAX_LISTED_AGENTS)
  // A burned agent (ownerOf reverts) is simply not listed.
  const agents = (
    await Promise.all(ids.map((agentId) => readAgent(l1, { identity, agentId }).catch(() => undefined)))
  ).filter((a): a is AgentIdentity => a !== undefined)
  const inspected = await Promise.all(
    agents.map((agent) => inspectAgent(agent, { chainId: manifest.l1.chainId, identity, fetchFile: fetcher(network) })),
  )
  return kind ? inspected.filter((a) => a.file && servicesOfKind(a.file, kind).length > 0) : inspected
}

/** One agent, inspected like the directory's; null when no such agent exists (never minted or burned). */
export async function agentDetail(network: Network, agentId: bigint): Promise<DiscoveredAgent | null> {
  const { identity } = registriesOf(network)
  const agent = await readAgent(network.l1, { identity, agentId }).catch(() => null)
  if (!agent) return null
  return inspectAgent(agent, { chainId: network.manifest.l1.chainId, identity, fetchFile: fetcher(network) })
}

export type WalletProof =
  | { kind: 'none' }
  /** Set by `register`: the registrant is the wallet, no signature involved. */
  | { kind: 'registrant'; txHash: Hash }
  /** Set by `setAgentWallet`: the signature in that call, checked again here (ECDSA or ERC-1271). */
  | { kind: 'signature'; txHash: Hash; signer: 'contract (ERC-1271)' | 'account (ECDSA)'; valid: boolean }
  | { kind: 'unreadable'; txHash: Hash }

const SET_AGENT_WALLET = toFunctionSelector(
  IdentityRegistryAbi.find((i) => i.type === 'function' && i.name === 'setAgentWallet')!,
).slice(2)

/**
 * The `setAgentWallet` call inside a transaction's input, direct or nested in a smart account's
 * execute or a bundler's handleOps: ABI encoding keeps an inner call's bytes contiguous, so each
 * occurrence of the selector is tried as the start of one.
 */
function findSetAgentWallet(input: Hex, agentId: bigint, wallet: Address) {
  const hex = input.slice(2)
  for (let at = hex.indexOf(SET_AGENT_WALLET); at >= 0; at = hex.indexOf(SET_AGENT_WALLET, at + 2)) {
    if (at % 2 !== 0) continue
    try {
      const { functionName, args } = decodeFunctionData({ abi: IdentityRegistryAbi, data: `0x${hex.slice(at)}` })
      if (functionName !== 'setAgentWallet') continue
      const [id, newWallet, deadline, signature] = args
      if (id === agentId && isAddressEqual(newWallet, wallet)) return { deadline, signature }
    } catch {}
  }
  return undefined
}

/**
 * How the agent's current wallet got there, checked: the last `agentWallet` MetadataSet log names the
 * transaction; a proof in it is verified again against the L1 at that block (viem's verifyTypedData:
 * ECDSA for an account, ERC-1271 `isValidSignature` for a contract), never taken from the registry's word.
 */
export async function walletProof(network: Network, agent: AgentIdentity): Promise<WalletProof> {
  if (agent.agentWallet === zeroAddress) return { kind: 'none' }
  const { l1, manifest } = network
  const { identity } = registriesOf(network)
  const set = await inWindows(l1, (range) =>
    l1.getContractEvents({
      address: identity,
      abi: IdentityRegistryAbi,
      eventName: 'MetadataSet',
      args: { agentId: agent.agentId },
      ...range,
      strict: true,
    }),
  )
  const last = set.filter((log) => log.args.metadataKey === 'agentWallet').at(-1)
  if (!last) return { kind: 'none' }
  const txHash = last.transactionHash
  const tx = await l1.getTransaction({ hash: txHash })
  const call = findSetAgentWallet(tx.input, agent.agentId, agent.agentWallet)
  if (!call) {
    const registered = await l1.getContractEvents({
      address: identity,
      abi: IdentityRegistryAbi,
      eventName: 'Registered',
      args: { agentId: agent.agentId },
      blockHash: last.blockHash,
      strict: true,
    })
    return registered.some((r) => r.transactionHash === txHash)
      ? { kind: 'registrant', txHash }
      : { kind: 'unreadable', txHash }
  }
  const code = await l1.getCode({ address: agent.agentWallet, blockNumber: last.blockNumber })
  const valid = await l1.verifyTypedData({
    address: agent.agentWallet,
    ...agentWalletTypedData({
      chainId: manifest.l1.chainId,
      identity,
      agentId: agent.agentId,
      newWallet: agent.agentWallet,
      owner: agent.owner,
      deadline: call.deadline,
    }),
    signature: call.signature,
    blockNumber: last.blockNumber,
  })
  return { kind: 'signature', txHash, signer: code && code !== '0x' ? 'contract (ERC-1271)' : 'account (ECDSA)', valid }
}

/**
 * Feedback the agent received in the last `LOG_LOOKBACK` blocks (bounded windows, as every list: a public
 * RPC refuses one `eth_getLogs` from block 0), each entry checked for a payment, as the wallet counts it.
 * Revocations and responses follow their feedback, so the same windows hold every one that applies.
 */
export async function agentReputation(network: Network, agent: AgentIdentity) {
  const { reputation } = registriesOf(network)
  const l1 = network.l1
  const head = await l1.getBlockNumber({ cacheTime: 0 })
  const common = {
    address: reputation,
    abi: ReputationRegistryAbi,
    args: { agentId: agent.agentId },
    strict: true,
  } as const
  const windowed = <T>(query: (range: BlockRange) => Promise<T[]>) => inWindows(l1, query, { toBlock: head })
  const [given, revoked, responses] = await Promise.all([
    windowed((range) => l1.getContractEvents({ ...common, eventName: 'NewFeedback', ...range })),
    windowed((range) => l1.getContractEvents({ ...common, eventName: 'FeedbackRevoked', ...range })),
    windowed((range) => l1.getContractEvents({ ...common, eventName: 'ResponseAppended', ...range })),
  ])
  const checked = await checkFeedbackEntries(l1 as PublicClient, joinFeedback({ given, revoked, responses }), {
    agentWallet: agent.agentWallet === zeroAddress ? undefined : agent.agentWallet,
    chainId: network.manifest.l1.chainId,
    fetchFile: fetcher(network, MAX_FEEDBACK_FILE_BYTES),
  })
  // Newest first, as every list: "Show older" pages back through them.
  return { ...checked, entries: [...checked.entries].reverse(), fromBlock: logWindows(head)[0]?.fromBlock ?? 0n }
}
