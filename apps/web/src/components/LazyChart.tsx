/**
 * A chart behind a dynamic import: uPlot (its own chunk, 22 kB gzip) loads while the page's figures are
 * already shown instead of holding up the route's first render.
 */
import { lazy, Suspense } from 'react'
import type { ChartProps } from './Chart.tsx'
import { Loading } from './States.tsx'

const Chart = lazy(() => import('./Chart.tsx').then((module) => ({ default: module.Chart })))

export function LazyChart(props: ChartProps) {
  return (
    <Suspense fallback={<Loading what={`the chart “${props.title}”`} />}>
      <Chart {...props} />
    </Suspense>
  )
}
