import { useQuery } from '@tanstack/react-query'
import { createFileRoute, Link } from '@tanstack/react-router'
import { NotFound } from '../components/NotFound.tsx'
import { type Column, QueryTable } from '../components/QueryTable.tsx'
import { type Batch, listBatches } from '../lib/batches.ts'
import { useChain } from '../lib/chain-context.tsx'
import { short } from '../lib/format.ts'

export const Route = createFileRoute('/batches/')({ component: Batches })

/** The chain's batches as its inbox recorded them, newest first; new ones arrive with the inbox's logs. */
function Batches() {
  const { network, chain, known } = useChain()
  const batches = useQuery({
    queryKey: ['batches', chain?.inbox],
    enabled: chain !== undefined,
    queryFn: () => listBatches(network.l1, chain!.inbox),
  })
  if (known && !chain) return <NotFound what="No known chain matches this chain id or inbox." />
  return (
    <section>
      <h1>Batches</h1>
      {chain && (
        <p className="muted">
          Posted to inbox <span className="mono">{chain.inbox}</span> on L1 as blob transactions, pinned on IPFS.
        </p>
      )}
      <QueryTable
        query={batches}
        what="batches"
        empty="No batch posted to this inbox yet."
        className="batches"
        rowKey={(b) => String(b.index)}
        columns={BATCH_COLUMNS}
      />
    </section>
  )
}

const BATCH_COLUMNS: Column<Batch>[] = [
  {
    header: 'Batch',
    cell: (b) => (
      <Link to="/batches/$batch" params={{ batch: b.index }}>
        #{String(b.index)}
      </Link>
    ),
  },
  { header: 'L2 blocks', cell: (b) => `#${b.firstBlock}–#${b.lastBlock}` },
  { header: 'Blobs', cell: (b) => b.blobHashes.length },
  {
    header: 'L1 blob tx',
    className: 'mono',
    cell: (b) => (
      <Link to="/l1/tx/$hash" params={{ hash: b.l1TxHash }}>
        {short(b.l1TxHash, 12)}
      </Link>
    ),
  },
  { header: 'CID', className: 'mono', cell: (b) => short(b.cid, 14) },
]
