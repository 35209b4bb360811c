/**
 * Which agent chain to show: one of the known chains (the network's own and the inbox factory's),
 * or any inbox address or chain id, with a replica RPC URL when no wallet reads it.
 */
import { useNavigate } from '@tanstack/react-router'
import { useChain } from '../lib/chain-context.tsx'
import { short } from '../lib/format.ts'

export function ChainPicker() {
  const navigate = useNavigate()
  const { known, knownError, chain, l2 } = useChain()

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const typed = String(form.get('chain') ?? '').trim()
    const picked = String(form.get('known') ?? '')
    const rpc = String(form.get('rpc') ?? '').trim()
    void navigate({ to: '.', search: { chain: typed || picked || undefined, rpc: rpc || undefined } })
  }

  return (
    <details className="chain-picker">
      <summary>
        {chain ? `Chain ${chain.chainId}` : 'Chain: none selected'}
        {l2 ? ` · via ${l2.source === 'wallet' ? 'the Seed wallet' : 'replica'}` : ''}
      </summary>
      <form onSubmit={onSubmit}>
        <label>
          Known chains
          <select name="known" defaultValue={chain?.inbox ?? ''}>
            {known?.map((c) => (
              <option key={c.inbox} value={c.inbox}>
                {c.chainId.toString()} · inbox {short(c.inbox)}
                {c.own ? ' (this network)' : ''}
              </option>
            ))}
          </select>
        </label>
        {knownError && <p className="error">Could not list the factory's chains: {knownError.message}</p>}
        <label>
          Or an inbox address or chain id
          <input name="chain" placeholder="0x… or 17592186044417" autoComplete="off" />
        </label>
        <label>
          Replica RPC URL (when the wallet is not on that chain)
          <input name="rpc" type="url" placeholder="http://127.0.0.1:8545" autoComplete="off" />
        </label>
        <button type="submit">Show chain</button>
      </form>
    </details>
  )
}
