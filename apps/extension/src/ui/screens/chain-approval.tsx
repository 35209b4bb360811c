import type { ApprovalView } from '../../core/protocol.ts'
import type { ChainDescription } from '../../core/storage.ts'

export const CHAIN_APPROVAL_TITLES: Record<string, string> = {
  wallet_switchEthereumChain: 'Let this site switch chains?',
  wallet_addEthereumChain: 'Let this site add a chain?',
}

/** The chain a switch/add request would grant to this site (and only to it). */
export function ChainApprovalDetails({ view }: { view: ApprovalView }) {
  const chain = (view.params as [ChainDescription])[0]
  return (
    <section className="card">
      <h2>{chain.name}</h2>
      <dl className="facts">
        <dt>Chain id</dt>
        <dd>
          <code>{chain.chainId}</code>
        </dd>
        <dt>RPC URL</dt>
        <dd>
          <code>{chain.rpcUrl ?? 'in this browser'}</code>
        </dd>
      </dl>
      <p className="muted small">
        {view.method === 'wallet_addEthereumChain'
          ? 'Seed will read this chain for this site only. It cannot sign or send on it.'
          : 'Only this site moves to this chain; other sites stay where they are.'}
      </p>
    </section>
  )
}
