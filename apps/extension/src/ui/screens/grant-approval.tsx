/**
 * The ERC-7715 grant approval (decision 0207): who asks, for which token, how much per period,
 * the period, the expiry and the targets, and what approving does on-chain.
 */
import { formatEther } from 'viem'
import type { PreparedGrantRequest } from '../../background/grants/install-grant.ts'
import type { ApprovalView } from '../../core/protocol.ts'
import { allowanceText, expiryText, periodText, renewalText } from './grant-format.ts'

export const GRANT_APPROVAL_TITLES: Record<string, string> = {
  wallet_requestExecutionPermissions: 'Grant this site a spending allowance?',
  wallet_grantPermissions: 'Grant this site a spending allowance?',
}

export function GrantApprovalDetails({ view }: { view: ApprovalView }) {
  const request = (view.params as [PreparedGrantRequest])[0]
  return (
    <>
      {request.grants.map((grant) => (
        <section className="card grant" key={grant.sessionKey}>
          {grant.permissions.map((permission) => (
            <div key={permission.type + ('tokenAddress' in permission ? permission.tokenAddress : '')}>
              <h2>
                {allowanceText(permission)} {renewalText(grant.period)}
              </h2>
              <dl className="facts">
                <dt>Token</dt>
                <dd>
                  {'targets' in permission ? (
                    'ETH'
                  ) : (
                    <>
                      {permission.symbol} <code>{permission.tokenAddress}</code>
                    </>
                  )}
                </dd>
                <dt>{grant.period ? 'Per period' : 'In all'}</dt>
                <dd>{allowanceText(permission)}</dd>
                <dt>Period</dt>
                <dd>
                  {grant.period ? `${periodText(grant.period)} (rolling)` : 'none: the amount is for the whole grant'}
                </dd>
                <dt>Expires</dt>
                <dd>{expiryText(grant.expiry)}</dd>
                <dt>{'targets' in permission ? 'May pay' : 'May call'}</dt>
                <dd>
                  {'targets' in permission ? (
                    permission.targets.map((t) => (
                      <code key={t} className="target">
                        {t}
                      </code>
                    ))
                  ) : (
                    <code className="target">{permission.tokenAddress}.transfer</code>
                  )}
                </dd>
                {permission.justification && (
                  <>
                    <dt>Why</dt>
                    <dd>{permission.justification}</dd>
                  </>
                )}
              </dl>
            </div>
          ))}
          <p className="muted small">
            Gas for this grant's sends: up to {formatEther(BigInt(grant.gasBudget))} ETH per period, moved now into the
            account's EntryPoint deposit.
          </p>
        </section>
      ))}
      <section className="card">
        <p className="small">
          Approving installs a session key on your account that can move at most this, to these targets only, until it
          expires. The account enforces it on-chain; the site sends without asking you again. Revoke it any time under
          Sites.
        </p>
      </section>
    </>
  )
}
