/**
 * Networks (decision 0430): pick or edit a network (presets: the local devnet read from the running
 * stack, Sepolia, Base Sepolia; or a custom one), check each of its services, switch without a
 * rebuild; and on the active network, deploy what is missing of Seed (decision 0431).
 */
import { seedErc8004Registries } from '@seed/contracts'
import { type FormEvent, useState } from 'react'
import type { NetworkCheck, NetworkField, NetworkSettings } from '../../core/records.ts'
import { background } from '../api.ts'
import { requestHostAccess } from '../host-access.ts'
import { useAsync } from '../use-async.ts'
import { useWallet } from '../wallet-context.ts'
import { SeedDeployment } from './networks-seed.tsx'

const FIELD_LABEL: Record<NetworkField, string> = {
  l1: 'L1 RPC',
  bundler: 'Bundler',
  beacon: 'Beacon API',
  ipfs: 'IPFS peer',
  facilitator: 'Facilitator',
}

const customNetwork = (): NetworkSettings => ({
  id: `custom-${crypto.randomUUID().slice(0, 8)}`,
  name: 'Custom network',
  preset: 'custom',
  l1: { chainId: 1, rpcUrl: '' },
  bundlerUrl: '',
  beaconUrl: '',
  ipfsUrl: '',
  ipfsPeer: '',
  facilitatorUrl: '',
})

function Checks({ checks }: { checks: NetworkCheck[] }) {
  return (
    <ul className="list" aria-label="Connection check">
      {checks.map((check) => (
        <li key={check.field} className="row">
          <span className={`badge ${check.ok ? 'success' : 'failed'}`}>{check.ok ? 'ok' : 'failed'}</span>
          <span>
            {FIELD_LABEL[check.field]}: <span className="muted small">{check.detail}</span>
          </span>
        </li>
      ))}
    </ul>
  )
}

function NetworkEditor({
  initial,
  active,
  onSaved,
}: {
  initial: NetworkSettings
  active: boolean
  onSaved: () => void
}) {
  const [draft, setDraft] = useState(initial)
  const [checks, setChecks] = useState<NetworkCheck[]>()
  const [busy, setBusy] = useState<string>()
  const [message, setMessage] = useState<{ error?: boolean; text: string }>()
  const run = (label: string, task: () => Promise<void>) => {
    setBusy(label)
    setMessage(undefined)
    task()
      .catch((e: Error) => setMessage({ error: true, text: e.message }))
      .finally(() => setBusy(undefined))
  }
  const text = (field: 'bundlerUrl' | 'beaconUrl' | 'ipfsUrl' | 'ipfsPeer' | 'facilitatorUrl' | 'manifestUrl') => ({
    value: draft[field] ?? '',
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [field]: e.target.value }),
  })
  const save = (e: FormEvent) => {
    e.preventDefault()
    run('save', async () => {
      await requestHostAccess(draft)
      await background('ui:saveNetwork', draft)
      setMessage({ text: 'Saved.' })
      onSaved()
    })
  }
  const use = () =>
    run('use', async () => {
      await requestHostAccess(draft)
      await background('ui:saveNetwork', draft)
      await background('ui:switchNetwork', { id: draft.id })
      setMessage({ text: `Now on ${draft.name}.` })
      onSaved()
    })
  const readStack = () =>
    run('stack', async () => {
      const view = await background('ui:refreshDevnet', { manifestUrl: draft.manifestUrl ?? '' })
      const devnet = view.networks.find((n) => n.id === draft.id)
      if (devnet) setDraft(devnet)
      setMessage({ text: 'Read from the running stack.' })
      onSaved()
    })
  return (
    <form className="card stack" onSubmit={save}>
      <h2>{active ? `${draft.name} (in use)` : draft.name}</h2>
      {draft.preset === 'devnet' && (
        <>
          <label>
            Stack manifest URL
            <input placeholder="http://127.0.0.1:8547/manifest.json" {...text('manifestUrl')} />
          </label>
          <button type="button" disabled={!!busy} onClick={readStack}>
            {busy === 'stack' ? 'Reading…' : 'Read from the running stack'}
          </button>
        </>
      )}
      <label>
        Name
        <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
      </label>
      <label>
        L1 chain id
        <input
          type="number"
          value={draft.l1.chainId}
          onChange={(e) => setDraft({ ...draft, l1: { ...draft.l1, chainId: Number(e.target.value) } })}
        />
      </label>
      <label>
        L1 RPC URL
        <input
          value={draft.l1.rpcUrl}
          onChange={(e) => setDraft({ ...draft, l1: { ...draft.l1, rpcUrl: e.target.value } })}
        />
      </label>
      <label>
        Bundler URL
        <input placeholder="serves EntryPoint v0.7" {...text('bundlerUrl')} />
      </label>
      <label>
        Beacon API URL
        <input placeholder="blobs by slot" {...text('beaconUrl')} />
      </label>
      <label>
        IPFS peer HTTP URL
        <input {...text('ipfsUrl')} />
      </label>
      <label>
        IPFS peer multiaddr
        <input placeholder="/ip4/…/tcp/…/ws/p2p/…" {...text('ipfsPeer')} />
      </label>
      <label>
        Facilitator URL
        <input placeholder="x402" {...text('facilitatorUrl')} />
      </label>
      <RegistryFields draft={draft} setDraft={setDraft} />
      {draft.preset === 'baseSepolia' && (
        <p className="muted small">Base Sepolia carries no blobs: the agent's rollup cannot batch there.</p>
      )}
      {checks && <Checks checks={checks} />}
      {message && <p className={message.error ? 'error' : 'muted small'}>{message.text}</p>}
      <div className="actions">
        <button
          type="button"
          disabled={!!busy}
          onClick={() =>
            run('check', async () => {
              await requestHostAccess(draft)
              setChecks(await background('ui:checkNetwork', draft))
            })
          }
        >
          {busy === 'check' ? 'Checking…' : 'Check connection'}
        </button>
        <button type="submit" disabled={!!busy}>
          Save
        </button>
        {!active && (
          <button type="button" className="primary" disabled={!!busy} onClick={use}>
            {busy === 'use' ? 'Switching…' : 'Use this network'}
          </button>
        )}
      </div>
    </form>
  )
}

export function NetworksScreen() {
  const { refresh } = useWallet()
  const { data: view, reload } = useAsync(() => background('ui:networks', undefined))
  const [editing, setEditing] = useState<NetworkSettings>()
  if (!view) return <p className="muted">Loading…</p>
  const selected = editing ?? view.networks.find((n) => n.id === view.active) ?? view.networks[0]!
  // A custom network being added is listed too, before it is saved.
  const listed = view.networks.some((n) => n.id === selected.id) ? view.networks : [...view.networks, selected]
  return (
    <div className="stack">
      <section className="card stack">
        <h2>Networks</h2>
        <label>
          Network
          <select value={selected.id} onChange={(e) => setEditing(listed.find((n) => n.id === e.target.value))}>
            {listed.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name} · chain {n.l1.chainId}
                {n.id === view.active ? ' (in use)' : ''}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setEditing(customNetwork())}>
          Add a custom network
        </button>
      </section>
      <NetworkEditor
        key={`editor-${selected.id}`}
        initial={selected}
        active={selected.id === view.active}
        onSaved={() => {
          // The wallet's state follows too: the active network's settings may have just become usable.
          reload()
          refresh()
        }}
      />
      <SeedDeployment key={`seed-${view.active}`} onDeployed={refresh} />
      <p className="muted small">
        Each network keeps its own account, activity, connected sites and rollup; the owner key and the policy are the
        wallet's.
      </p>
    </div>
  )
}

const REGISTRIES = ['identity', 'reputation', 'validation'] as const

/** ERC-8004 registries (decision 0800): empty = Seed's deterministic ones; the public deployments have their own. */
function RegistryFields({ draft, setDraft }: { draft: NetworkSettings; setDraft: (n: NetworkSettings) => void }) {
  const seed = seedErc8004Registries()
  const set = (which: (typeof REGISTRIES)[number], value: string) => {
    const next = { ...(draft.erc8004 ?? { identity: '', reputation: '', validation: '' }), [which]: value.trim() }
    const empty = REGISTRIES.every((r) => !next[r])
    setDraft({ ...draft, erc8004: empty ? undefined : (next as NetworkSettings['erc8004']) })
  }
  return (
    <>
      {REGISTRIES.map((which) => (
        <label key={which}>
          ERC-8004 {which} registry
          <input
            placeholder={seed[which]}
            value={draft.erc8004?.[which] ?? ''}
            onChange={(e) => set(which, e.target.value)}
          />
        </label>
      ))}
    </>
  )
}
