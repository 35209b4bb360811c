/** The escape hatch (docs/decisions/0700): when anyone may post batches for a chain whose sequencer stalls. */
import type { Address } from 'viem'
import { readContract } from 'viem/actions'
import { RollupInboxAbi } from '../generated/RollupInbox.ts'
import { requireBridgeConfig } from './config.ts'
import type { L1Client } from './types.ts'

/** Whether the hatch is open now and when it opens (unix seconds): a force window after the sequencer's last post. */
export async function getEscapeHatch(
  client: L1Client,
  { inbox }: { inbox: Address },
): Promise<{ open: boolean; opensAt: bigint }> {
  const [config, postedAt, open] = await Promise.all([
    requireBridgeConfig(client, { inbox }),
    readContract(client, { address: inbox, abi: RollupInboxAbi, functionName: 'sequencerPostedAt' }),
    readContract(client, { address: inbox, abi: RollupInboxAbi, functionName: 'escapeHatchOpen' }),
  ])
  return { open, opensAt: postedAt + config.forceWindow }
}
