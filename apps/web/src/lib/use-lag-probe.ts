/**
 * Head lag of each replica, sampled on every new head of the chain (no timer of its own, as every live
 * view): the last `MAX_SAMPLES` kept in memory for the chart, so a page left open stays bounded.
 */
import { useEffect, useRef, useState } from 'react'
import { probeLag, type Replica } from './replicas.ts'

export const MAX_SAMPLES = 120

export type LagSample = {
  /** Unix seconds, for the chart's time axis. */
  time: number
  /** Blocks behind the head per agent; null when the replica did not answer. */
  lags: Map<bigint, number | null>
  errors: Map<bigint, string>
}

const reason = (error: unknown) =>
  error && typeof error === 'object' && 'shortMessage' in error ? String(error.shortMessage) : String(error)

export function useLagProbe(replicas: readonly Replica[] | undefined, head: bigint | null | undefined) {
  const [samples, setSamples] = useState<LagSample[]>([])
  // A probe still answering when the next head comes is kept (a slow replica still gets its point);
  // only an unmounted page drops it.
  const mounted = useRef(true)
  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])
  const targets = (replicas ?? []).filter((r) => r.rpcUrl !== undefined)
  const targetsKey = targets.map((r) => `${r.agentId}@${r.rpcUrl}`).join(' ')
  // biome-ignore lint/correctness/useExhaustiveDependencies: `targetsKey` stands for `targets`, rebuilt each render
  useEffect(() => {
    if (head === undefined || head === null || targets.length === 0) return
    void Promise.all(
      targets.map(async (r) => {
        try {
          return { agentId: r.agentId, lag: await probeLag(r.rpcUrl!, head) }
        } catch (error) {
          return { agentId: r.agentId, lag: null, error: reason(error) }
        }
      }),
    ).then((probed) => {
      if (!mounted.current) return
      const sample: LagSample = { time: Date.now() / 1000, lags: new Map(), errors: new Map() }
      for (const p of probed) {
        sample.lags.set(p.agentId, p.lag)
        if (p.error) sample.errors.set(p.agentId, p.error)
      }
      setSamples((prev) => [...prev.slice(-(MAX_SAMPLES - 1)), sample])
    })
  }, [head, targetsKey])
  return samples
}
