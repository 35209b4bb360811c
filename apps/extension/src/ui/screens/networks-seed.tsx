/** Seed on the active network: what is missing, what deploying it costs, and the deployment (decision 0431). */
import { useEffect, useState } from 'react'
import { background } from '../api.ts'
import { short } from '../components.tsx'
import { useAsync } from '../use-async.ts'

export function SeedDeployment({ onDeployed }: { onDeployed: () => void }) {
  const { data: status, reload } = useAsync(() => background('ui:seedStatus', undefined))
  const complete = status !== undefined && !status.missing.length && !status.error
  // Seed all there: the wallet may have just recorded its account on this network.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per completed status
  useEffect(() => {
    if (complete) onDeployed()
  }, [complete])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  if (!status) return <p className="muted">Looking for Seed's contracts…</p>
  const deploy = () => {
    setBusy(true)
    setError(undefined)
    background('ui:deploySeed', undefined)
      .then(
        () => {
          reload()
          onDeployed()
        },
        (e: Error) => setError(e.message),
      )
      .finally(() => setBusy(false))
  }
  if (status.error) {
    return (
      <section className="card">
        <h2>Seed on this network</h2>
        <p className="error">{status.error}</p>
      </section>
    )
  }
  if (!status.entryPointV07 || status.deployer === false) {
    return (
      <section className="card">
        <h2>Seed on this network</h2>
        {!status.entryPointV07 && (
          <p className="error">
            EntryPoint v0.7 is not deployed at its canonical address on this network. It is the one prerequisite: the
            wallet deploys everything else of Seed, but not the EntryPoint.
          </p>
        )}
        {status.deployer === false && (
          <p className="error">
            This chain has no deterministic CREATE2 deployer (0x4e59…956c), through which Seed's contracts get the same
            address everywhere.
          </p>
        )}
      </section>
    )
  }
  if (!status.missing.length && !status.inFlight) {
    return (
      <section className="card">
        <h2>Seed on this network</h2>
        <p className="muted small">All of Seed's contracts are deployed here.</p>
      </section>
    )
  }
  const priced = status.payerBalanceEth !== undefined && status.maxCostEth !== undefined
  const tooPoor = priced && Number(status.payerBalanceEth) < Number(status.maxCostEth)
  return (
    <section className="card stack">
      <h2>Seed on this network</h2>
      <p>Missing here: {status.missing.join(', ') || 'none (a deployment is in flight)'}</p>
      {status.costEth !== undefined && (
        <dl className="facts">
          <dt>Cost</dt>
          <dd>
            about {Number(status.costEth).toFixed(6)} ETH
            <span className="muted small"> (at most {Number(status.maxCostEth).toFixed(6)})</span>
          </dd>
          <dt>Paid by</dt>
          <dd>
            <code title={status.payer}>{short(status.payer)}</code> (the owner key) ·{' '}
            {Number(status.payerBalanceEth).toFixed(6)} ETH
          </dd>
        </dl>
      )}
      {tooPoor && <p className="error small">Send ETH to the owner address above first: it pays the deployment.</p>}
      {error && <p className="error">{error}</p>}
      <button type="button" className="primary" disabled={busy || tooPoor} onClick={deploy}>
        {busy ? 'Deploying…' : status.inFlight ? 'Finish deploying Seed' : 'Deploy Seed'}
      </button>
    </section>
  )
}
