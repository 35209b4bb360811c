/**
 * Pays one epoch of a slot (or `units` of them: a verifier's windows, a pinner's batches), only for a probe
 * that passed: signs the voucher for the cumulative amount (what was paid before plus the units' price) and
 * hands it to the operator. Signing is what moves value
 * (the operator can claim it on L1), so a missed probe never reaches the signer.
 */
import {
  type Bounty,
  BountyError,
  epochVoucherTypedData,
  readLimitedText,
  type SignedEpochVoucher,
} from '@seed/contracts'
import type { Account, Address, Chain, Client, Transport } from 'viem'
import { signTypedData } from 'viem/actions'
import { toWireJson } from '../replicaAnswer.ts'
import type { ProbeMissed } from './probeResult.ts'

export async function payEpoch(
  client: Client<Transport, Chain, Account>,
  p: {
    escrow: Address
    bounty: Bounty
    agentId: bigint
    operatorUrl: string
    /** Any kind's probe (`probeOperator`, `probeReplica`…): only a pass is paid. */
    probe: { passed: true } | ProbeMissed
    /** What the poster signed for this slot so far (its ledger); the new voucher adds `units` prices. */
    paidSoFar: bigint
    /** Epochs, windows or batches paid by this voucher (default 1; `probeOperator` answers it). */
    units?: bigint
  },
): Promise<SignedEpochVoucher> {
  if (!p.probe.passed) throw new BountyError('the epoch was not served: no voucher', { details: p.probe.details })
  const units = p.units ?? 1n
  if (units < 1n) throw new BountyError('nothing new to pay for', { details: `units ${units}` })
  const cumulativeAmount = p.paidSoFar + p.bounty.pricePerEpoch * units
  if (cumulativeAmount > p.bounty.allotment) throw new BountyError('the slot allotment is spent')
  const typed = epochVoucherTypedData({
    chainId: client.chain.id,
    escrow: p.escrow,
    bountyId: p.bounty.bountyId,
    agentId: p.agentId,
    cumulativeAmount,
  })
  const signature = await signTypedData(client, { ...typed, account: client.account })
  const voucher = { bountyId: p.bounty.bountyId, agentId: p.agentId, cumulativeAmount, signature }
  const res = await fetch(new URL('/voucher', p.operatorUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: toWireJson(voucher),
    signal: AbortSignal.timeout(5_000),
  }).catch((e: Error) => {
    throw new BountyError('the operator did not take the voucher', { cause: e })
  })
  if (!res.ok) {
    const details = await readLimitedText(res, 4096).catch((e: Error) => e.message)
    throw new BountyError('the operator refused the voucher', { details })
  }
  return voucher
}
