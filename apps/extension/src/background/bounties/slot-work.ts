/**
 * What a slot's probe needs, by the bounty's kind (decision 0802), for `probeOperator`: a replica is held to the
 * embedded sequencer; a verifier is probed for the window of batches asked of it (verify-windows.ts); a pinner
 * is paid for the batches posted beyond those its vouchers already reach (journal total / price).
 */
import { type Bounty, readBountySlot } from '@seed/contracts'
import type { ProbeOperatorParameters } from '@seed/operator/payer'
import { readInboxHead } from '@seed/rollup-lite'
import type { Account, Address, Chain, Client, Transport } from 'viem'
import type { BountySlotRecord, PostedBounty } from '../../core/records.ts'
import { ensureOffscreen } from '../rollup/rollup.ts'
import { sequencerClient } from './payer-clients.ts'
import { journal, type SlotUpdate } from './slot-records.ts'
import { verifyWindow } from './verify-windows.ts'
import { slotKey } from './voucher-journal.ts'

export type SlotWork = Pick<ProbeOperatorParameters, 'sequencer' | 'window' | 'batchesPaid'>

/** The probe's kind-specific parameters; undefined when there is nothing to probe yet (no new window, no batch). */
export async function slotWork(
  client: Client<Transport, Chain, Account>,
  p: {
    bounty: Bounty
    record: PostedBounty
    slot: BountySlotRecord
    account: Address
    rollupChainId: number
    update: SlotUpdate
  },
): Promise<SlotWork | undefined> {
  switch (p.bounty.kind) {
    case 'replica':
      await ensureOffscreen() // the embedded sequencer lives in the offscreen document's Worker
      return { sequencer: sequencerClient(p.rollupChainId) }
    case 'verify': {
      const window = await verifyWindow(client, p)
      return window && { window }
    }
    case 'pin': {
      if ((await readInboxHead(client, p.bounty.inbox)).count === 0n) return undefined // no batch to pin yet
      const agentId = BigInt(p.slot.agentId)
      const onChain = await readBountySlot(client, { escrow: p.record.escrow, bountyId: p.bounty.bountyId, agentId })
      const total = await journal.total(slotKey(p.bounty.bountyId, agentId), onChain?.claimed ?? 0n)
      return { batchesPaid: total / p.bounty.pricePerEpoch }
    }
  }
}
