/**
 * L1's time for countdowns: the L1 head's timestamp, advanced each second by the seconds since that head
 * arrived. Only elapsed time comes from the visitor's machine, so a wrong clock there does not move the
 * count; a new head sets it back to L1's own time.
 */
import { useEffect, useState } from 'react'
import { useHead } from './live.ts'

export function useL1Now(): bigint | undefined {
  const head = useHead('l1')
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(timer)
  }, [])
  if (!head.data) return undefined
  const elapsed = Math.max(0, Math.floor((now - head.dataUpdatedAt) / 1_000))
  return head.data.timestamp + BigInt(elapsed)
}
