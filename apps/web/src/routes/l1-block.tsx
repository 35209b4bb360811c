import { TxTable } from '../components/TxTable.tsx'
import { blockOrReason } from '../lib/block.ts'
import { l1 } from '../lib/clients.ts'
import { usePoll } from '../lib/usePoll.ts'

export function L1Block({ block }: { block: bigint }) {
  const { data, error } = usePoll(() => blockOrReason(l1, block), 5000, [block])
  if (error) return <p className="error">{error}</p>
  if (!data) return <p>Loading…</p>
  return (
    <section>
      <h1>L1 block #{String(data.number)}</h1>
      <p className="mono">{data.hash}</p>
      <TxTable
        transactions={data.transactions}
        linkToL1Tx
        extra={[
          { title: 'Type', cell: (tx) => tx.type },
          { title: 'Blobs', cell: (tx) => tx.blobVersionedHashes?.length ?? 0 },
        ]}
      />
    </section>
  )
}
