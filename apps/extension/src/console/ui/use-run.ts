/** Follows one run's record in IndexedDB while it runs (the sandbox host writes it as it goes). */
import { useEffect, useState } from 'react'
import { type RunRecord, runs } from '../store.ts'

const FOLLOW_MS = 150

export function useRun(runId: string | undefined) {
  const [run, setRun] = useState<RunRecord>()
  useEffect(() => {
    if (!runId) return setRun(undefined)
    let stopped = false
    const follow = async () => {
      const record = await runs.get(runId)
      if (stopped) return
      if (record) setRun(record)
      if (!record || record.status === 'running') setTimeout(follow, FOLLOW_MS)
    }
    void follow()
    return () => {
      stopped = true
    }
  }, [runId])
  return run
}
