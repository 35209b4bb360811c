/**
 * A bounty epoch above the approval threshold (decision 0802): the payer probed the operator and asks before it
 * signs the epoch's voucher. Approving lets the payer's next tick pay it; rejecting leaves this epoch unpaid.
 */
import { type ApprovalView, BOUNTY_EPOCH_METHOD, type EpochPayment } from '../../core/protocol.ts'
import { short } from '../components.tsx'

export const BOUNTY_EPOCH_TITLES: Record<string, string> = { [BOUNTY_EPOCH_METHOD]: 'Pay this bounty epoch?' }

export function BountyEpochDetails({ view }: { view: ApprovalView }) {
  const p = (view.params as [EpochPayment])[0]
  return (
    <section className="card" data-testid="bounty-epoch">
      <h2>
        Bounty #{p.bountyId} · {p.kind}
      </h2>
      <p className="spend">
        {p.amount} USDS to agent #{p.agentId}
      </p>
      <dl className="facts">
        <dt>Agent</dt>
        <dd>#{p.agentId}</dd>
        <dt>Price</dt>
        <dd>{p.pricePerEpoch} USDS per unit</dd>
        <dt>Units</dt>
        <dd>{p.units}</dd>
        <dt>Paid to</dt>
        <dd>
          <code>{short(p.payee)}</code>
        </dd>
      </dl>
      <p className="muted small">
        Its probe passed. Approving signs the next epoch voucher from the bounty's deposit (already counted against your
        budget when it was posted); rejecting leaves this epoch unpaid, and a later epoch asks again.
      </p>
    </section>
  )
}
