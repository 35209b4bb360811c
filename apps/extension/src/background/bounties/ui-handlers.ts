/**
 * The Agents screen's bounty messages (`ui:bounties`, `ui:postBounty`, `ui:closeBounty`, `ui:withdrawBounty`,
 * extension pages only). A person's click is a caller like any other: the post, the close and the withdraw go
 * through the one action pipeline and its approval window, named "Seed · Bounties".
 */
import { type Bounty, readBounty, seedBountyEscrow } from '@seed/contracts'
import { formatUnits } from 'viem'
import type { Handlers } from '../../core/messenger.ts'
import type { BackgroundProtocol, BountyView } from '../../core/protocol.ts'
import type { BountyEpochApproval, PostedBounty } from '../../core/records.ts'
import { stored } from '../../core/storage.ts'
import { l1Client } from '../account/clients.ts'
import type { ResolvedCaller } from '../agent/caller.ts'
import { BOUNTIES_ORIGIN } from './bounty-op.ts'
import { closeBounty, parseBountyRef, withdrawableAt, withdrawBounty } from './close-bounty.ts'
import { epochApprovals } from './epoch-approval.ts'
import { escrowSource, openBounties } from './open-bounties.ts'
import { parsePostBountyParams, postBounty } from './post-bounty.ts'
import { slotKey } from './voucher-journal.ts'

const WALLET_UI: ResolvedCaller = { origin: BOUNTIES_ORIGIN }
const usd = (amount: bigint) => formatUnits(amount, 6)

function bountyView(b: Bounty, paidBySlot?: Map<string, bigint>): Omit<BountyView, 'slots'> {
  const promised = [...(paidBySlot?.values() ?? [])].reduce((sum, paid) => sum + (b.allotment - paid), 0n)
  return {
    bountyId: b.bountyId.toString(),
    poster: b.poster,
    kind: b.kind,
    pricePerEpoch: usd(b.pricePerEpoch),
    epochSeconds: Number(b.epochLength),
    maxOperators: b.maxOperators,
    operators: b.operators,
    fundsLeft: usd(b.unallotted + promised),
    closing: b.closing,
    ...(b.closing ? { withdrawableAt: withdrawableAt(b) } : {}),
  }
}

const APPROVAL_SHOWN = { pending: 'waiting', approved: 'approved', refused: 'refused' } as const
const approvalOf = (approval: BountyEpochApproval | undefined) =>
  approval ? { approval: APPROVAL_SHOWN[approval.status] } : {}

async function mine(posted: PostedBounty[]): Promise<BountyView[]> {
  const l1 = await l1Client()
  const journal = await stored.bountyVouchers.get()
  const approvals = await epochApprovals()
  return Promise.all(
    posted.map(async (record) => {
      const bounty = await readBounty(l1, { escrow: record.escrow, bountyId: BigInt(record.bountyId) })
      const slots = Object.values(record.slots)
      const paid = new Map(
        slots.map((s) => [s.agentId, BigInt(journal[slotKey(bounty.bountyId, BigInt(s.agentId))]?.delivered ?? 0)]),
      )
      return {
        ...bountyView(bounty, paid),
        ...(record.closed ? { refunded: record.closed.refunded } : {}),
        slots: slots.map((s) => ({
          agentId: s.agentId,
          operator: s.operator,
          ...(s.operatorUrl ? { operatorUrl: s.operatorUrl } : {}),
          ...(s.rpcUrl ? { rpcUrl: s.rpcUrl } : {}),
          probes: s.probes,
          passed: s.passed,
          paid: usd(paid.get(s.agentId) ?? 0n),
          ...(s.lastProbe ? { lastProbe: s.lastProbe } : {}),
          ...(s.pendingProbe ? { pendingProbe: s.pendingProbe } : {}),
          ...(s.problem ? { problem: s.problem } : {}),
          ...approvalOf(approvals[slotKey(bounty.bountyId, BigInt(s.agentId))]),
        })),
      }
    }),
  )
}

export const bountyHandlers: Pick<
  Handlers<BackgroundProtocol>,
  'ui:bounties' | 'ui:postBounty' | 'ui:closeBounty' | 'ui:withdrawBounty'
> = {
  async 'ui:bounties'() {
    const posted = Object.values(await stored.bounties.get())
    const ours = new Set(posted.map((p) => p.bountyId))
    const escrow = seedBountyEscrow()
    const [own, open] = await Promise.all([
      mine(posted),
      openBounties(escrowSource(await l1Client(), escrow), stored.openBounties, escrow),
    ])
    return { mine: own, open: open.filter((b) => !ours.has(b.bountyId.toString())).map((b) => bountyView(b)) }
  },
  'ui:postBounty': (params) => postBounty(WALLET_UI, parsePostBountyParams(params)),
  'ui:closeBounty': (params) => closeBounty(WALLET_UI, parseBountyRef(params, 'bounties.close')),
  'ui:withdrawBounty': (params) => withdrawBounty(WALLET_UI, parseBountyRef(params, 'bounties.withdraw')),
}
