import { Link } from '@tanstack/react-router'
import { formatEther, formatGwei, type Hash, TransactionNotFoundError } from 'viem'
import { l1 } from '../lib/clients.ts'
import { usePoll } from '../lib/usePoll.ts'

async function transactionOrReason(hash: Hash) {
  try {
    const [tx, receipt] = await Promise.all([
      l1.getTransaction({ hash }),
      l1.getTransactionReceipt({ hash }).catch(() => undefined),
    ])
    return { tx, receipt }
  } catch (e) {
    if (e instanceof TransactionNotFoundError) throw new Error(`No transaction ${hash} on this L1.`)
    throw e
  }
}

/** One L1 transaction; for a blob (batch) tx, its versioned hashes. */
export function L1Transaction({ hash }: { hash: Hash }) {
  const { data, error } = usePoll(() => transactionOrReason(hash), 5000, [hash])
  if (error) return <p className="error">{error}</p>
  if (!data) return <p>Loading…</p>
  const { tx, receipt } = data
  return (
    <section>
      <h1>L1 transaction</h1>
      <table className="kv">
        <tbody>
          <tr>
            <th>Hash</th>
            <td className="mono">{tx.hash}</td>
          </tr>
          <tr>
            <th>Block</th>
            <td>
              {tx.blockNumber === null ? (
                'pending'
              ) : (
                <Link to="/l1/$block" params={{ block: tx.blockNumber }}>
                  #{String(tx.blockNumber)}
                </Link>
              )}
            </td>
          </tr>
          <tr>
            <th>Status</th>
            <td>{receipt ? receipt.status : 'pending'}</td>
          </tr>
          <tr>
            <th>From → to</th>
            <td className="mono">
              {tx.from} → {tx.to ?? 'contract creation'}
            </td>
          </tr>
          <tr>
            <th>Value</th>
            <td>{formatEther(tx.value)} ETH</td>
          </tr>
          <tr>
            <th>Type</th>
            <td>{tx.type}</td>
          </tr>
          {receipt && (
            <tr>
              <th>Gas used</th>
              <td>
                {receipt.gasUsed.toLocaleString()} at {formatGwei(receipt.effectiveGasPrice)} gwei
                {receipt.blobGasUsed ? ` · blob gas ${receipt.blobGasUsed.toLocaleString()}` : ''}
              </td>
            </tr>
          )}
          {tx.blobVersionedHashes?.length ? (
            <tr>
              <th>Blobs</th>
              <td className="mono">
                {tx.blobVersionedHashes.map((h) => (
                  <div key={h}>{h}</div>
                ))}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  )
}
