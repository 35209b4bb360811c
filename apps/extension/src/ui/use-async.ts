import { useCallback, useEffect, useRef, useState } from 'react'

/** Loads data on mount and whenever `key` changes (and on reload()); optionally polls. */
export function useAsync<T>(load: () => Promise<T>, key = '', pollMs?: number) {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<string>()
  const loader = useRef(load)
  loader.current = load
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the reload trigger
  const reload = useCallback(() => {
    loader.current().then(
      (d) => {
        setData(d)
        setError(undefined)
      },
      (e: Error) => setError(e.message),
    )
  }, [key])
  useEffect(() => {
    reload()
    if (!pollMs) return
    const timer = setInterval(reload, pollMs)
    return () => clearInterval(timer)
  }, [reload, pollMs])
  return { data, error, reload }
}
