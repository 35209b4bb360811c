/**
 * Where a transaction the page handed to the Seed wallet is: being prepared, waiting for the wallet's
 * approval, sent (linked, waiting for its receipt), done in a block, or failed. Deposit, Withdraw and the
 * withdrawal timelines' Prove / Finalize say it the same way, in one live region each.
 */
import { Link } from '@tanstack/react-router'
import type { Hash } from 'viem'
import { short } from '../lib/format.ts'
import { ErrorNote } from './States.tsx'

export type SentTx =
  | { at: 'building' }
  | { at: 'wallet' }
  | { at: 'sent'; hash: Hash }
  | { at: 'done'; hash: Hash; block: bigint }
  | { at: 'failed'; error: unknown }

/** Still on its way: the button that started it stays disabled. */
export const inFlight = (tx: SentTx | undefined) => tx !== undefined && tx.at !== 'done' && tx.at !== 'failed'

function TxLink({ hash, layer }: { hash: Hash; layer: 'l1' | 'l2' }) {
  return layer === 'l1' ? (
    <Link to="/l1/tx/$hash" params={{ hash }} className="mono">
      {short(hash, 12)}
    </Link>
  ) : (
    <Link to="/tx/$hash" params={{ hash }} className="mono">
      {short(hash, 12)}
    </Link>
  )
}

export function SentTxStatus({
  tx,
  id,
  className,
  layer,
  approve,
  building,
  done,
}: {
  tx: SentTx | undefined
  id?: string
  className: string
  /** Where it is sent: its link and what the page waits for. */
  layer: 'l1' | 'l2'
  /** What the wallet is asked to approve: "the deposit". */
  approve: string
  /** What the page does before asking the wallet. */
  building?: string
  /** The sentence once it is in `block`; the transaction's link follows it. */
  done: (block: bigint) => string
}) {
  return (
    <div id={id} className={className} role="status" aria-live="polite">
      {tx?.at === 'building' && <p>{building}</p>}
      {tx?.at === 'wallet' && <p>Waiting for the Seed wallet: approve {approve} there.</p>}
      {tx?.at === 'sent' && (
        <p>
          Sent <TxLink hash={tx.hash} layer={layer} />; waiting for {layer === 'l1' ? 'L1' : 'the rollup'}…
        </p>
      )}
      {tx?.at === 'done' && (
        <p className="check ok">
          ✓ {done(tx.block)}: <TxLink hash={tx.hash} layer={layer} />
        </p>
      )}
      {tx?.at === 'failed' && <ErrorNote error={tx.error} />}
    </div>
  )
}
