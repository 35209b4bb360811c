import { Link } from '@tanstack/react-router'
import { background } from '../api.ts'
import { Address } from '../components.tsx'
import { useAsync } from '../use-async.ts'
import { useWallet } from '../wallet-context.ts'

export function HomeScreen() {
  const { state } = useWallet()
  const { data: balances } = useAsync(() => background('ui:balances', undefined), '', 4000)
  if (!state.account) {
    // A network whose Seed contracts are not deployed yet has no account until they are (decision 0431).
    return (
      <section className="card stack">
        <h2>No account on {state.network?.name ?? 'this network'} yet</h2>
        <p className="muted small">
          The agent's account comes from Seed's contracts on this network: the networks screen shows whether they are
          there and deploys what is missing.
        </p>
        <Link to="/networks">Open networks</Link>
      </section>
    )
  }
  const onDevnet = state.network?.id === 'devnet'
  return (
    <div className="stack">
      <section className="card">
        <h2>Smart account · {onDevnet ? 'L1 devnet' : state.network?.name}</h2>
        <Address value={state.account.smartAccount} />
        <p className="muted small">chain {state.l1ChainId} · ERC-4337 (EntryPoint v0.7)</p>
        <div className="balances">
          <div>
            <strong>{balances?.l1?.eth ?? '…'}</strong> ETH
          </div>
          <div>
            <strong>{balances ? (balances.l1?.usd ?? '—') : '…'}</strong> USDS
          </div>
          {onDevnet && (
            <div>
              <strong>{balances?.l1?.token ?? '…'}</strong> TST
            </div>
          )}
        </div>
      </section>
      <section className="card">
        <h2>Rollup account · L2</h2>
        <Address value={state.account.rollupAccount} />
        <p className="muted small">
          chain {state.account.rollup.chainId}
          {state.rollupChainId ? '' : ' · rollup node not running'}
        </p>
        <div className="balances">
          <div>
            <strong>{balances?.l2?.eth ?? '—'}</strong> ETH
          </div>
        </div>
      </section>
      <Link to="/fund" className="button">
        Fund your agent
      </Link>
      {balances?.error && <p className="muted small">{balances.error}</p>}
    </div>
  )
}
