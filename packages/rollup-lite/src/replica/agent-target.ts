/**
 * What `rollup-lite node --follow` follows, from an agent's ERC-8004 registration (issue 17): the
 * file (by agent id through the identity registry's `tokenURI`, or a local file) names the inbox,
 * the rollup's chain id, the sequencer key, the genesis (by CID) and bootstrap peers that relay
 * the unsafe blocks. The file is untrusted: the bytes must hash to their CID, the genesis to its
 * CID and chain id, the L1 to the file's; and the inbox's `sequencer()` on L1 stays the key that
 * counts (a file may be older than a key rotation: that is reported, not obeyed).
 */
import { readFileSync } from 'node:fs'
import {
  cidOfUri,
  contentMatchesCid,
  fetchIpfsFile,
  parseRegistrationFile,
  type RollupFollowInfo,
  RollupInboxAbi,
  readAgent,
  rollupFollowInfo,
  seedErc8004Registries,
} from '@seed/contracts'
import { type Address, BaseError, isAddressEqual, type PublicClient } from 'viem'
import type { Genesis } from '../chain/types.ts'
import { parseGenesis } from '../protocol/genesis-file.ts'

/** A genesis JSON is a few KB; one that is not is refused unread. */
const MAX_GENESIS_BYTES = 1 << 20

export class FollowTargetError extends BaseError {
  override name = 'FollowTargetError'
}

export type FollowTarget = {
  inbox: Address
  genesis: Genesis
  peers: string[]
  sequencerRpc?: string
  /** The key the registration names; the inbox's `sequencer()` is checked against it. */
  sequencer?: Address
}

/** The registration file of `agentId` in the identity registry, checked against its CID. */
export async function readAgentFollowInfo(
  l1: PublicClient,
  o: { agentId: bigint; identity?: Address; ipfsUrl?: string },
): Promise<RollupFollowInfo> {
  const identity = o.identity ?? seedErc8004Registries().identity
  const { agentURI } = await readAgent(l1, { identity, agentId: o.agentId })
  const cid = cidOfUri(agentURI)
  if (!cid) throw new FollowTargetError(`agent ${o.agentId}'s agentURI is not an ipfs:// CID: ${agentURI}`)
  if (!o.ipfsUrl) throw new FollowTargetError('reading an agent registration needs --ipfs (an IPFS peer HTTP API)')
  const bytes = await fetchIpfsFile(o.ipfsUrl, agentURI)
  if (!contentMatchesCid(cid, bytes)) throw new FollowTargetError(`agent ${o.agentId}'s file does not match its CID`)
  return rollupFollowInfo(parseRegistrationFile(bytes))
}

export function readFollowInfoFile(path: string): RollupFollowInfo {
  return rollupFollowInfo(parseRegistrationFile(readFileSync(path)))
}

/** Genesis from `--genesis <file>` if given, else the registration's `rollup-genesis` CID. */
async function genesisOf(info: RollupFollowInfo, o: { genesisFile?: string; ipfsUrl?: string }): Promise<Genesis> {
  let json: unknown
  if (o.genesisFile) {
    json = JSON.parse(readFileSync(o.genesisFile, 'utf8'))
  } else {
    const cid = info.genesisUri && cidOfUri(info.genesisUri)
    if (!cid) throw new FollowTargetError('the registration names no rollup-genesis: pass --genesis <file>')
    if (!o.ipfsUrl) throw new FollowTargetError('reading the genesis from IPFS needs --ipfs (an IPFS peer HTTP API)')
    const bytes = await fetchIpfsFile(o.ipfsUrl, info.genesisUri!, { maxBytes: MAX_GENESIS_BYTES })
    if (!contentMatchesCid(cid, bytes)) throw new FollowTargetError('the genesis does not match its CID')
    json = JSON.parse(new TextDecoder().decode(bytes))
  }
  const genesis = parseGenesis(json)
  if (genesis.chainId !== BigInt(info.chainId)) {
    throw new FollowTargetError(
      `the genesis is of chain ${genesis.chainId}, the registration's rollup is ${info.chainId}`,
    )
  }
  return genesis
}

export async function resolveFollowTarget(
  l1: PublicClient,
  info: RollupFollowInfo,
  o: { genesisFile?: string; ipfsUrl?: string; peers?: string[]; sequencerRpc?: string },
): Promise<FollowTarget> {
  const l1ChainId = await l1.getChainId()
  if (l1ChainId !== info.l1ChainId) {
    throw new FollowTargetError(`the registration's inbox is on L1 chain ${info.l1ChainId}, --l1 is chain ${l1ChainId}`)
  }
  return {
    inbox: info.inbox,
    genesis: await genesisOf(info, o),
    peers: [...(o.peers ?? []), ...info.peers],
    ...((o.sequencerRpc ?? info.rpcUrl) ? { sequencerRpc: o.sequencerRpc ?? info.rpcUrl } : {}),
    ...(info.sequencer ? { sequencer: info.sequencer } : {}),
  }
}

/** A registration older than a key rotation names the old key: L1 wins, the operator is told. */
export async function checkRegisteredSequencer(l1: PublicClient, target: FollowTarget): Promise<string | undefined> {
  if (!target.sequencer) return undefined
  const onL1 = await l1.readContract({ address: target.inbox, abi: RollupInboxAbi, functionName: 'sequencer' })
  return isAddressEqual(onL1, target.sequencer)
    ? undefined
    : `the registration names sequencer ${target.sequencer}, the inbox's sequencer() is ${onL1}: following the inbox's`
}
