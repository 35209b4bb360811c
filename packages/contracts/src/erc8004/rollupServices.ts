/**
 * What a replica needs to follow an agent's own chain (issue 17), as services of the agent's
 * ERC-8004 registration file, so `rollup-lite node --agent <id>` starts from the agent id alone:
 *
 *   rollup-inbox      eip155:<L1 chain id>:<RollupInbox>, version: the rollup's chain id
 *   rollup-sequencer  eip155:<rollup chain id>:<address>: the key its unsafe blocks are signed with
 *   rollup-genesis    ipfs://<CID> of the chain's genesis JSON
 *   rollup-p2p        a libp2p multiaddr that relays its unsafe blocks (one service per peer)
 *   rollup-rpc        where its transactions are accepted (optional: a browser's node has none)
 *
 * The file is untrusted input: every field is checked here, and the inbox on L1 stays the truth
 * (a replica re-reads the inbox's `sequencer()`; the genesis must hash to its CID).
 */
import { type Address, getAddress, isAddress } from 'viem'
import { Erc8004FileError } from './errors.ts'
import { cidOfUri } from './ipfsCid.ts'
import type { AgentRegistrationFile, AgentService } from './registrationFile.ts'
import { servicesOfKind } from './registrationFile.ts'

export const ROLLUP_SERVICES = {
  inbox: 'rollup-inbox',
  sequencer: 'rollup-sequencer',
  genesis: 'rollup-genesis',
  p2p: 'rollup-p2p',
  rpc: 'rollup-rpc',
} as const
/** Bootstrap peers kept from one file: enough to reach the mesh, too few to make a replica dial a crowd. */
export const MAX_ROLLUP_PEERS = 8

export type RollupFollowInfo = {
  l1ChainId: number
  inbox: Address
  /** The rollup's own chain id. */
  chainId: number
  sequencer?: Address
  genesisUri?: string
  peers: string[]
  rpcUrl?: string
}

const caip10 = (chainId: number, address: Address) => `eip155:${chainId}:${address}`

function parseCaip10(endpoint: string, field: string): { chainId: number; address: Address } {
  const m = /^eip155:([0-9]{1,18}):(0x[0-9a-fA-F]{40})$/.exec(endpoint)
  if (!m || !isAddress(m[2]!, { strict: false })) {
    throw new Erc8004FileError('registration file', `${field} is not eip155:<chain id>:<address>`)
  }
  return { chainId: Number(m[1]), address: getAddress(m[2]!) }
}

export function rollupServices(info: RollupFollowInfo): AgentService[] {
  return [
    { name: ROLLUP_SERVICES.inbox, endpoint: caip10(info.l1ChainId, info.inbox), version: String(info.chainId) },
    ...(info.sequencer ? [{ name: ROLLUP_SERVICES.sequencer, endpoint: caip10(info.chainId, info.sequencer) }] : []),
    ...(info.genesisUri ? [{ name: ROLLUP_SERVICES.genesis, endpoint: info.genesisUri }] : []),
    ...info.peers.slice(0, MAX_ROLLUP_PEERS).map((endpoint) => ({ name: ROLLUP_SERVICES.p2p, endpoint })),
    ...(info.rpcUrl ? [{ name: ROLLUP_SERVICES.rpc, endpoint: info.rpcUrl }] : []),
  ]
}

/** Reads the rollup services back; an agent without a `rollup-inbox` has no chain to follow. */
export function rollupFollowInfo(file: AgentRegistrationFile): RollupFollowInfo {
  const [inboxService] = servicesOfKind(file, ROLLUP_SERVICES.inbox)
  if (!inboxService) throw new Erc8004FileError('registration file', 'no rollup-inbox service: no chain to follow')
  const inbox = parseCaip10(inboxService.endpoint, 'rollup-inbox')
  const chainId = Number(inboxService.version)
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new Erc8004FileError('registration file', "rollup-inbox's version is not the rollup's chain id")
  }
  const [sequencerService] = servicesOfKind(file, ROLLUP_SERVICES.sequencer)
  const sequencer = sequencerService && parseCaip10(sequencerService.endpoint, 'rollup-sequencer')
  if (sequencer && sequencer.chainId !== chainId) {
    throw new Erc8004FileError('registration file', 'rollup-sequencer names another chain than rollup-inbox')
  }
  const genesisUri = servicesOfKind(file, ROLLUP_SERVICES.genesis)[0]?.endpoint
  if (genesisUri !== undefined && !cidOfUri(genesisUri)) {
    throw new Erc8004FileError('registration file', 'rollup-genesis is not an ipfs:// CID')
  }
  const rpcUrl = servicesOfKind(file, ROLLUP_SERVICES.rpc)[0]?.endpoint
  return {
    l1ChainId: inbox.chainId,
    inbox: inbox.address,
    chainId,
    ...(sequencer ? { sequencer: sequencer.address } : {}),
    ...(genesisUri ? { genesisUri } : {}),
    // Multiaddrs are checked where they are dialled (libp2p parses them); here only their number.
    peers: servicesOfKind(file, ROLLUP_SERVICES.p2p)
      .map((s) => s.endpoint)
      .slice(0, MAX_ROLLUP_PEERS),
    ...(rpcUrl && /^https?:\/\//.test(rpcUrl) ? { rpcUrl } : {}),
  }
}
