/**
 * The wallet registers its own agent (decision 0801): `register()` from the smart account, then the
 * registration file — naming that agentId, listing the agent's services and what a replica of its
 * rollup needs (inbox, genesis, sequencer key, gossip peers; @seed/contracts `rollupServices`) — is
 * published through the Worker's Helia node and pinned by the IPFS peer under the batcher key, and one
 * more user op points the agentURI at `ipfs://<CID>` and proves the smart account as the agent's wallet
 * (`setAgentWallet` with its ERC-1271 signature over the registry's AgentWalletSet). Both ops go through
 * the one action pipeline as the caller's sends (the policy sees them, approvals as for any send). The
 * proof is signed here and only here: pages and scripts can never get it (the registry's domain is
 * protected, actions/policy.ts).
 */
import type { AgentRegistered, RegisterAgentParams, Sent } from '@seed/agent/api'
import {
  type AgentService,
  agentRegistrationFile,
  agentRegistryId,
  agentWalletTypedData,
  encodeRegistrationFile,
  IdentityRegistryAbi,
  registerAgentCall,
  rollupServices,
  setAgentURICall,
  setAgentWalletCall,
} from '@seed/contracts'
import { type Address, bytesToHex, type Hex, isAddressEqual, parseEventLogs } from 'viem'
import { ErrorCode, invalidParams, ProviderRpcError } from '../../core/errors.ts'
import { send } from '../../core/messenger.ts'
import { embeddedGenesisJson } from '../../rollup/genesis.ts'
import { accountService } from '../account/account.ts'
import { l1Client } from '../account/clients.ts'
import type { ResolvedCaller } from '../agent/caller.ts'
import { sendCalls } from '../agent/wallet.ts'
import { replicaPeers } from '../rollup/replicas.ts'
import { ensureOffscreen, NoRollupYetError, rollupGenesisConfig } from '../rollup/rollup.ts'
import { agentsOwnedBy } from './discovery.ts'
import { activeRegistries } from './registries.ts'

const MAX_SERVICES = 16
/** The proof's lifetime: the registry takes at most 5 minutes; the op lands well within 4. */
const PROOF_TTL_S = 240n

export function parseRegisterParams(params: unknown): RegisterAgentParams {
  const p = (params ?? {}) as Record<string, unknown>
  if (typeof p.name !== 'string' || !p.name.trim() || p.name.length > 200)
    throw invalidParams('agents.register: name, 1 to 200 characters')
  if (p.description !== undefined && (typeof p.description !== 'string' || p.description.length > 2000))
    throw invalidParams('agents.register: description, at most 2000 characters')
  const services = p.services ?? []
  if (!Array.isArray(services) || services.length > MAX_SERVICES)
    throw invalidParams(`agents.register: services, at most ${MAX_SERVICES}`)
  return {
    name: p.name.trim(),
    ...(p.description ? { description: p.description as string } : {}),
    services: services.map((s: Record<string, unknown>, i) => {
      if (typeof s?.name !== 'string' || !s.name || s.name.length > 100)
        throw invalidParams(`agents.register: services[${i}].name, 1 to 100 characters`)
      if (typeof s.endpoint !== 'string' || !s.endpoint || s.endpoint.length > 2048)
        throw invalidParams(`agents.register: services[${i}].endpoint, 1 to 2048 characters`)
      return { name: s.name, endpoint: s.endpoint }
    }),
  }
}

/** The L1 transaction that carried a one-op send (the action pipeline waits for it to land). */
async function sentHash(sent: Promise<Sent[]>): Promise<Hex> {
  const [first] = await sent
  if (!first) throw new ProviderRpcError(ErrorCode.internal, 'The send returned nothing.')
  return first.hash
}

async function receiptOf(hash: Hex) {
  const client = await l1Client()
  return client.waitForTransactionReceipt({ hash })
}

/** The agentId the account's `register()` minted, from the op's receipt. */
async function registeredId(hash: Hex, identity: Address, account: Address): Promise<bigint> {
  const { logs } = await receiptOf(hash)
  const minted = parseEventLogs({ abi: IdentityRegistryAbi, eventName: 'Registered', logs }).find(
    (log) => isAddressEqual(log.address, identity) && isAddressEqual(log.args.owner, account),
  )
  if (!minted) throw new ProviderRpcError(ErrorCode.internal, 'The registration op did not register an agent.')
  return minted.args.agentId
}

export async function registerOwnAgent(caller: ResolvedCaller, params: RegisterAgentParams): Promise<AgentRegistered> {
  const info = await accountService.info()
  if (!info) throw new ProviderRpcError(ErrorCode.unauthorized, 'No account yet: create one in the Seed popup.')
  const account = info.smartAccount
  // The file is pinned under the batcher key, so batching must be set up (it also names the inbox).
  await ensureOffscreen()
  const batching = await send('rollup:batching', undefined)
  if (!batching.enabled)
    throw new ProviderRpcError(
      ErrorCode.unauthorized,
      'Start batching first: the IPFS peer pins under the batcher key.',
    )
  const [client, { identity }] = await Promise.all([l1Client(), activeRegistries()])
  const chainId = client.chain.id

  const existing = (await agentsOwnedBy(account))[0]
  let agentId: bigint
  let registerTx: Hex | undefined
  if (existing) {
    agentId = BigInt(existing.agentId)
  } else {
    registerTx = await sentHash(sendCalls(caller, 'l1', [registerAgentCall(identity)]))
    agentId = await registeredId(registerTx, identity, account)
  }

  // What a replica needs to follow its chain (`rollup-lite node --agent <id>`, issue 17): the inbox
  // on L1 (blobs + IPFS), the genesis (pinned like this file), the key that signs its unsafe blocks
  // (the batcher key, the inbox's sequencer) and the replicas its Worker gossips them to.
  const genesis = await rollupGenesisConfig()
  if (!genesis) throw new NoRollupYetError()
  const genesisJson = new TextEncoder().encode(JSON.stringify(embeddedGenesisJson(genesis)))
  const { cid: genesisCid } = await send('rollup:publishFile', { hex: bytesToHex(genesisJson) })
  const services: AgentService[] = [
    ...(params.services ?? []),
    ...rollupServices({
      l1ChainId: chainId,
      inbox: batching.inbox,
      chainId: info.rollup.chainId,
      sequencer: batching.batcher,
      genesisUri: `ipfs://${genesisCid}`,
      peers: await replicaPeers(),
    }),
  ]
  const file = agentRegistrationFile({
    name: params.name,
    description: params.description ?? `${params.name}: a Seed wallet agent`,
    services,
    x402Support: services.some((s) => s.name.toLowerCase() === 'x402'),
    registrations: [{ agentId: Number(agentId), agentRegistry: agentRegistryId(chainId, identity) }],
  })
  const { cid } = await send('rollup:publishFile', { hex: bytesToHex(encodeRegistrationFile(file)) })
  const agentURI = `ipfs://${cid}`

  const { timestamp } = await client.getBlock()
  const deadline = timestamp + PROOF_TTL_S
  const signature = await accountService.signTypedData(
    agentWalletTypedData({ chainId, identity, agentId, newWallet: account, owner: account, deadline }),
  )
  const updateTx = await sentHash(
    sendCalls(caller, 'l1', [
      setAgentURICall(identity, { agentId, agentURI }),
      setAgentWalletCall(identity, { agentId, newWallet: account, deadline, signature }),
    ]),
  )
  const { status } = await receiptOf(updateTx)
  if (status !== 'success') throw new ProviderRpcError(ErrorCode.internal, 'Setting the agent URI and wallet reverted.')
  return { agentId: agentId.toString(), agentURI, cid, ...(registerTx ? { registerTx } : {}), updateTx }
}
