/** The activity list (user ops, L2 txs, signatures), newest first, persisted. */
import type { ActivityItem } from '../core/storage.ts'
import { read, write } from '../core/storage.ts'

const MAX_ITEMS = 100

export async function recordActivity(item: Omit<ActivityItem, 'id' | 'at'>) {
  const list = (await read('local', 'activity')) ?? []
  const entry: ActivityItem = { ...item, id: crypto.randomUUID(), at: Date.now() }
  await write('local', 'activity', [entry, ...list].slice(0, MAX_ITEMS))
  return entry
}

export async function listActivity() {
  return (await read('local', 'activity')) ?? []
}
