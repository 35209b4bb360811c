import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query'
import { createFileRoute, Link } from '@tanstack/react-router'
import { useMemo } from 'react'
import { formatEther } from 'viem'
import { LazyChart } from '../components/LazyChart.tsx'
import { Empty, ErrorNote, Loading } from '../components/States.tsx'
import { batchFigures, batchFiguresKey, listBatches } from '../lib/batches.ts'
import { useChain } from '../lib/chain-context.tsx'
import { latestBlocks, useHead } from '../lib/live.ts'
import { rollupStatus } from '../lib/rollup-status.ts'

export const Route = createFileRoute('/')({ component: Overview })

/** L2 blocks the throughput charts cover, and batches the batch charts cover. */
const CHART_BLOCKS = 60
const CHART_BATCHES = 12

function Overview() {
  return (
    <section>
      <h1>Overview</h1>
      <Heads />
      <Throughput />
      <BatchCharts />
    </section>
  )
}

function Heads() {
  const { chain, l2 } = useChain()
  const l1Head = useHead('l1')
  const l2Head = useHead('l2')
  const status = useQuery({
    queryKey: ['rollup-status', l2?.replicaUrl, String(l2Head.data?.number)],
    enabled: l2?.replicaUrl !== undefined,
    queryFn: () => rollupStatus(l2!.replicaUrl!),
    placeholderData: keepPreviousData,
  })
  return (
    <dl className="stats">
      <div>
        <dt>L1 head</dt>
        <dd id="l1-head">
          {l1Head.data ? (
            <Link to="/l1/block/$block" params={{ block: l1Head.data.number! }}>
              #{String(l1Head.data.number)}
            </Link>
          ) : l1Head.error ? (
            <ErrorNote error={l1Head.error} />
          ) : (
            <Loading what="the L1 head" />
          )}
        </dd>
      </div>
      <div>
        <dt>L2 head{chain ? ` (chain ${chain.chainId})` : ''}</dt>
        <dd id="l2-head">
          {!l2 ? (
            <span className="muted">no wallet or replica for this chain: pick one above</span>
          ) : l2Head.data ? (
            <Link to="/block/$block" params={{ block: l2Head.data.number! }}>
              #{String(l2Head.data.number)}
            </Link>
          ) : l2Head.error ? (
            <ErrorNote error={l2Head.error} />
          ) : (
            <Loading what="the L2 head" />
          )}
        </dd>
      </div>
      <div>
        <dt>Sequencer</dt>
        <dd id="sequencer">
          {status.data ? (
            <>
              <span className="dot ok" aria-hidden="true" /> up · open block #{status.data.openBlock.number} with{' '}
              {status.data.openBlock.txCount} txs · {status.data.pendingCount} waiting · batched up to{' '}
              {status.data.lastBatchEnd === undefined ? 'nothing yet' : `#${status.data.lastBatchEnd}`}
            </>
          ) : status.error ? (
            <>
              <span className="dot down" aria-hidden="true" /> not answering: <ErrorNote error={status.error} />
            </>
          ) : l2?.replicaUrl ? (
            <Loading what="the sequencer status" />
          ) : (
            <span className="muted">no replica URL to ask</span>
          )}
        </dd>
      </div>
    </dl>
  )
}

function Throughput() {
  const { l2, key } = useChain()
  const queryClient = useQueryClient()
  const head = useHead('l2')
  const blocks = useQuery({
    queryKey: ['chart-blocks', ...key, String(head.data?.number)],
    enabled: l2 !== undefined && head.data?.number != null,
    queryFn: () => latestBlocks(queryClient, l2!.client, key, 'l2', head.data!.number!, CHART_BLOCKS),
    placeholderData: keepPreviousData,
  })
  const series = useMemo(() => {
    const oldestFirst = [...(blocks.data ?? [])].reverse()
    const x: number[] = []
    const txPerS: number[] = []
    const gasPerS: number[] = []
    oldestFirst.forEach((block, i) => {
      const previous = oldestFirst[i - 1]
      if (!previous) return
      // Blocks sealed within the same second count over one second, not zero.
      const seconds = Math.max(1, Number(block.timestamp - previous.timestamp))
      x.push(Number(block.timestamp))
      txPerS.push(block.transactions.length / seconds)
      gasPerS.push(Number(block.gasUsed) / seconds)
    })
    return { x, txPerS, gasPerS }
  }, [blocks.data])
  if (!l2) return null
  if (blocks.error) return <ErrorNote error={blocks.error} />
  if (!blocks.data) return <Loading what="recent L2 blocks" />
  return (
    <div className="charts">
      <LazyChart
        title={`L2 transactions per second (last ${CHART_BLOCKS} blocks)`}
        unit="tx/s"
        xLabel="time"
        time
        x={series.x}
        series={[{ label: 'tx/s', values: series.txPerS, color: '#15803d' }]}
      />
      <LazyChart
        title={`L2 gas per second (last ${CHART_BLOCKS} blocks)`}
        unit="gas/s"
        xLabel="time"
        time
        digits={0}
        x={series.x}
        series={[{ label: 'gas/s', values: series.gasPerS, color: '#1d4ed8' }]}
      />
    </div>
  )
}

function BatchCharts() {
  const { network, chain, l2, key } = useChain()
  const queryClient = useQueryClient()
  const batches = useQuery({
    queryKey: ['batches', chain?.inbox],
    enabled: chain !== undefined,
    queryFn: () => listBatches(network.l1, chain!.inbox),
  })
  const recent = (batches.data ?? []).slice(0, CHART_BATCHES).reverse()
  const figures = useQueries({
    queries: recent.map((batch) => ({
      queryKey: [...batchFiguresKey(chain!.inbox, batch.index), ...key],
      queryFn: () => batchFigures(queryClient, network.l1, l2 && { client: l2.client, key }, network.ipfsUrl, batch),
      staleTime: Number.POSITIVE_INFINITY,
    })),
  })
  if (batches.error) return <ErrorNote error={batches.error} />
  if (!batches.data) return <Loading what="batches" />
  if (batches.data.length === 0) return <Empty>No batch posted to this chain's inbox yet.</Empty>
  const x = recent.map((b) => Number(b.index))
  const values = (pick: (f: NonNullable<(typeof figures)[number]['data']>) => number | undefined) =>
    figures.map((q) => (q.data ? (pick(q.data) ?? null) : null))
  return (
    <>
      <h2>
        Batches <Link to="/batches">(all)</Link>
      </h2>
      <div className="charts">
        <LazyChart
          title="Batch cost on L1 (execution and blob fees)"
          unit="ETH"
          xLabel="batch"
          digits={8}
          x={x}
          series={[{ label: 'ETH', values: values((f) => Number(formatEther(f.costWei))), color: '#b45309' }]}
        />
        <LazyChart
          title="L1 bytes per L2 transaction"
          unit="bytes"
          xLabel="batch"
          digits={0}
          x={x}
          series={[{ label: 'bytes/tx', values: values((f) => f.bytesPerTx), color: '#7c3aed' }]}
        />
        <LazyChart
          title="Blob fill"
          unit="%"
          xLabel="batch"
          x={x}
          series={[
            {
              label: 'fill',
              values: values((f) => (f.fill === undefined ? undefined : f.fill * 100)),
              color: '#0f766e',
            },
          ]}
        />
        <LazyChart
          title="Time from L2 block to L1 inclusion (oldest block of the batch)"
          unit="s"
          xLabel="batch"
          digits={0}
          x={x}
          series={[{ label: 'seconds', values: values((f) => f.inclusionDelayS), color: '#be123c' }]}
        />
      </div>
    </>
  )
}
