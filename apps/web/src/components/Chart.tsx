/**
 * A uPlot line chart that fits its container (360 px phones included) with its numbers in words:
 * the canvas is an image whose accessible name is the summary printed under it.
 */
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export type Series = { label: string; values: (number | null)[]; color: string }

export type ChartProps = {
  title: string
  unit: string
  /** Unix seconds when `time`, else plain numbers (e.g. batch indexes). */
  x: number[]
  xLabel: string
  time?: boolean
  series: Series[]
  digits?: number
}

export function summarize({ unit, series, digits = 2 }: Pick<ChartProps, 'unit' | 'series' | 'digits'>) {
  return series
    .map(({ label, values }) => {
      const numbers = values.filter((v): v is number => v !== null && Number.isFinite(v))
      if (numbers.length === 0) return `${label}: no data yet`
      const fmt = (v: number) => `${v.toFixed(digits)} ${unit}`
      return `${label}: latest ${fmt(numbers.at(-1)!)}, min ${fmt(Math.min(...numbers))}, max ${fmt(Math.max(...numbers))} over ${numbers.length} points`
    })
    .join('; ')
}

export function Chart(props: ChartProps) {
  const { title, x, xLabel, time = false, series, unit } = props
  const box = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  const summary = summarize(props)
  const points = x.length
  const data: uPlot.AlignedData = [x, ...series.map((s) => s.values)]
  const latest = useRef({ props, data })
  latest.current = { props, data }
  const shape = [time, xLabel, unit, ...series.map((s) => `${s.label}:${s.color}`)].join('|')

  // The chart is built again only when its shape changes; new points go through setData below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `shape` stands for the options read through `latest`
  useEffect(() => {
    const el = box.current
    if (!el) return
    const { props: p, data: initial } = latest.current
    const chart = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: 180,
        // One point (a live chart's first) would span a day or more on a time axis: a minute around it
        // instead (one batch either side on a counted axis).
        scales: {
          x: {
            time: p.time ?? false,
            // uPlot widens a lone time point to a day (and by default further) before asking.
            range: (u, min, max) => {
              const xs = u.data[0]
              if (xs.length !== 1) return [min, max]
              const pad = p.time ? 30 : 1
              return [xs[0]! - pad, xs[0]! + pad]
            },
          },
        },
        axes: [
          // Batches are counted, not measured: whole-number ticks only.
          { label: p.xLabel, size: 40, ...(p.time ? {} : { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }) },
          // Three significant digits: batch costs are 0.000129 ETH, gas rates 86,206 gas/s.
          { label: p.unit, size: 64, values: (_u, splits) => splits.map((v) => String(Number(v.toPrecision(3)))) },
        ],
        legend: { show: p.series.length > 1 },
        series: [
          { label: xLabel },
          ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: true, size: 4 } })),
        ],
      },
      initial,
      el,
    )
    plot.current = chart
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height: 180 }))
    resize.observe(el)
    return () => {
      resize.disconnect()
      chart.destroy()
      plot.current = null
    }
  }, [shape])

  useEffect(() => {
    plot.current?.setData(data)
  })

  return (
    <figure className="chart" data-points={points}>
      <figcaption>{title}</figcaption>
      <div ref={box} className="chart-canvas" role="img" aria-label={`${title}. ${summary}`} />
      <p className="chart-summary">{points === 0 ? 'No data yet.' : summary}</p>
    </figure>
  )
}
