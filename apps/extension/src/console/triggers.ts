/**
 * Which event triggers an observed event fires (decision 0604). The base-fee trigger fires when the
 * L1 base fee rises above its threshold — on the crossing, not on every block while it stays above.
 */
import type { AgentEvent, EventTopic } from '@seed/agent/api'
import type { TriggerKind, TriggerRecord } from './store.ts'

export const TOPIC_OF: Record<Exclude<TriggerKind, 'schedule'>, EventTopic> = {
  block: 'l1Block',
  baseFee: 'baseFee',
  payment: 'incomingPayment',
  batch: 'batchPosted',
}

export const topicsFor = (list: TriggerRecord[]): EventTopic[] => [
  ...new Set(list.flatMap((t) => (t.enabled && t.kind !== 'schedule' ? [TOPIC_OF[t.kind]] : []))),
]

const gweiAbove = (fee: string, threshold: string) => Number.parseFloat(fee) > Number.parseFloat(threshold)

/** Base-fee triggers currently above their threshold (so they fire again only after falling back). */
export type TriggerState = { above: Set<string> }

export function firedBy(list: TriggerRecord[], event: AgentEvent, state: TriggerState): TriggerRecord[] {
  return list.filter((t) => {
    if (!t.enabled || t.kind === 'schedule' || TOPIC_OF[t.kind] !== event.topic) return false
    if (t.kind !== 'baseFee' || event.topic !== 'baseFee') return true
    const above = gweiAbove(event.baseFeeGwei, t.aboveGwei ?? '0')
    const crossed = above && !state.above.has(t.id)
    if (above) state.above.add(t.id)
    else state.above.delete(t.id)
    return crossed
  })
}
