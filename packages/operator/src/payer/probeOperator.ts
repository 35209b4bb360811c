/**
 * The poster's one probe for any bounty (decision 0802): dispatches by the bounty's kind to the replica, verify
 * or pin probe, and answers what it concluded and how many units a pass pays (`payEpoch`'s `units`): one epoch
 * of a replica, one window of a verifier, the batches a pinner holds beyond those already paid.
 */
import { type Bounty, BountyError } from '@seed/contracts'
import type { Address, Chain, Client, Transport } from 'viem'
import { type PinProbeResult, probePinner } from './probePinner.ts'
import { type ProbeResult, probeReplica } from './probeReplica.ts'
import type { ProbeMissed } from './probeResult.ts'
import { probeVerifier, type VerifyProbeResult } from './probeVerifier.ts'
import type { VerifyWindow } from './requestWindowValidation.ts'

export type ProbeOperatorParameters = {
  bounty: Bounty
  escrow: Address
  agentId: bigint
  /** The key that joined the slot (`readBountySlot(...).operator`). */
  operator: Address
  operatorUrl: string
  timeoutMs?: number
  /** Replica: a client of the chain's sequencer, the truth the replica is held to. */
  sequencer?: Client<Transport, Chain | undefined>
  /** Replica: how many blocks behind the sequencer the replica may be (default 8). */
  maxLag?: bigint
  /** Verify: the window of batches to pay for (asked of the operator with `requestWindowValidation`). */
  window?: VerifyWindow
  /** Pin: the batches already paid for (the ledger): a pass pays the ones posted since. */
  batchesPaid?: bigint
  /** Pin: ask for this batch instead of a random one. */
  batchIndex?: bigint
}

export type OperatorProbeResult =
  | (Exclude<ProbeResult | VerifyProbeResult | PinProbeResult, ProbeMissed> & { units: bigint })
  | ProbeMissed

/** `l1`: a client of the L1 where the escrow, the inbox and the ERC-8004 registries live. */
export async function probeOperator(
  l1: Client<Transport, Chain | undefined>,
  p: ProbeOperatorParameters,
): Promise<OperatorProbeResult> {
  const common = {
    operatorUrl: p.operatorUrl,
    escrow: p.escrow,
    bountyId: p.bounty.bountyId,
    agentId: p.agentId,
    operator: p.operator,
    timeoutMs: p.timeoutMs,
  }
  switch (p.bounty.kind) {
    case 'replica': {
      if (!p.sequencer) throw new BountyError('a replica probe needs a client of the chain’s sequencer')
      const result = await probeReplica(p.sequencer, { ...common, maxLag: p.maxLag })
      return result.passed ? { ...result, units: 1n } : result
    }
    case 'verify': {
      if (!p.window) throw new BountyError('a verify probe needs the window of batches it pays for')
      const result = await probeVerifier(l1, { ...common, ...p.window, inbox: p.bounty.inbox })
      return result.passed ? { ...result, units: 1n } : result
    }
    case 'pin': {
      const result = await probePinner(l1, { ...common, inbox: p.bounty.inbox, batchIndex: p.batchIndex })
      if (!result.passed) return result
      const units = result.batches - (p.batchesPaid ?? 0n)
      return { ...result, units: units > 0n ? units : 0n }
    }
  }
}
