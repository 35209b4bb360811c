/**
 * Benchmark output per the repo's convention: one JSON object per figure on stdout,
 * everything else on stderr. Timings are medians over several runs after a warm-up.
 */
export type Figure = {
  bench: string
  value: number
  unit: string
  env: 'node' | 'chromium'
  n?: number
  p50?: number
  p99?: number
  min?: number
  max?: number
  baseline?: { name: string; value: number }
  notes?: string
}

export function emit(figure: Figure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`)
}

export function log(...args: unknown[]): void {
  console.error(...args)
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i] as number
}

export function stats(samples: readonly number[]) {
  const s = [...samples].sort((a, b) => a - b)
  return {
    p50: round(percentile(s, 50)),
    p99: round(percentile(s, 99)),
    min: round(s[0] ?? Number.NaN),
    max: round(s[s.length - 1] ?? Number.NaN),
    n: s.length,
  }
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits
