import { formatEther } from 'viem'
import { l1, manifest } from '../lib/clients.ts'
import { usePoll } from '../lib/usePoll.ts'

async function probeBundler(): Promise<string[]> {
  const res = await fetch(manifest.bundler.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_supportedEntryPoints', params: [] }),
  })
  return ((await res.json()) as { result: string[] }).result
}

export function Overview() {
  const head = usePoll(() => l1.getBlock(), 2000)
  const bundler = usePoll(probeBundler, 5000)
  const blobFee = usePoll(() => l1.getBlobBaseFee(), 5000)
  const user = usePoll(() => l1.getBalance({ address: manifest.accounts.user! }), 5000)
  return (
    <section>
      <h1>Local stack</h1>
      <table className="kv">
        <tbody>
          <Row k="L1 RPC" v={`${manifest.l1.rpcUrl} (chain ${manifest.l1.chainId}, ${manifest.l1.hardfork})`} />
          <Row
            k="L1 head"
            v={head.data ? `#${head.data.number} · ${head.data.transactions.length} txs` : (head.error ?? '…')}
            status={head.data ? 'ok' : head.error ? 'down' : undefined}
          />
          <Row k="Blob base fee" v={blobFee.data !== undefined ? `${blobFee.data} wei` : '…'} />
          <Row
            k="Bundler"
            v={bundler.data ? `${manifest.bundler.url} · ${bundler.data.length} entry points` : (bundler.error ?? '…')}
            status={bundler.data ? 'ok' : bundler.error ? 'down' : undefined}
          />
          <Row k="Dev user balance" v={user.data !== undefined ? `${formatEther(user.data)} ETH` : '…'} />
        </tbody>
      </table>
      <h2>Contracts</h2>
      <table className="kv">
        <tbody>
          {Object.entries(manifest.contracts).map(([name, address]) => (
            <Row key={name} k={name} v={<code>{address}</code>} />
          ))}
        </tbody>
      </table>
      {Object.keys(manifest.services).length > 0 && (
        <>
          <h2>Services</h2>
          <table className="kv">
            <tbody>
              {Object.entries(manifest.services).map(([name, url]) => (
                <Row key={name} k={name} v={url} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}

function Row({ k, v, status }: { k: string; v: React.ReactNode; status?: 'ok' | 'down' }) {
  return (
    <tr>
      <th>{k}</th>
      <td>
        {status && <span className={`dot ${status}`} />}
        {v}
      </td>
    </tr>
  )
}
