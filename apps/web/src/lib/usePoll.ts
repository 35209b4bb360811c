import { useEffect, useState } from 'react'

/** Re-runs `load` every `ms` while mounted; keeps the last good value and the last error. */
export function usePoll<T>(load: () => Promise<T>, ms: number, deps: unknown[] = []) {
  const [state, setState] = useState<{ data?: T; error?: string }>({})
  useEffect(() => {
    let alive = true
    const tick = () =>
      load().then(
        (data) => alive && setState({ data }),
        (e: Error) => alive && setState((s) => ({ ...s, error: e.message })),
      )
    tick()
    const id = setInterval(tick, ms)
    return () => {
      alive = false
      clearInterval(id)
    }
    // biome-ignore lint/correctness/useExhaustiveDependencies: callers pass deps explicitly
  }, deps)
  return state
}
