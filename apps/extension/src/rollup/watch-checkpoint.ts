/**
 * What lets the Worker's output watch resume (issue #15): the watcher's checkpoint and its derivation executor's
 * state, both in the Worker's IndexedDB. The executor writes into a staging overlay; its ops and the checkpoint
 * are committed in one transaction after each poll, so a Worker killed mid-derivation resumes from the last
 * committed poll with an executor exactly at that checkpoint's head, never ahead of it.
 */
import type { KV, KvOp, OutputWatchCheckpoint } from '@seed/rollup-lite'
import type { Address } from 'viem'

/**
 * The executor's keys live under a generation: a rollback into derived batches starts a new one at genesis. An
 * abandoned generation's keys stay (the KV cannot list a prefix): one copy of the chain per guardian rollback.
 */
export type SavedWatch = { generation: number; checkpoint: OutputWatchCheckpoint }

const savedKey = (inbox: Address) => `extension/output-watch/${inbox.toLowerCase()}`
export const executorPrefix = (inbox: Address, generation: number) => `${savedKey(inbox)}/${generation}/`

// Checkpoints hold bigints (L1 blocks, indexes): tagged so a string never turns into one.
const BIGINT = '$bigint'
const encode = (saved: SavedWatch) =>
  JSON.stringify(saved, (_key, value) => (typeof value === 'bigint' ? { [BIGINT]: value.toString() } : value))
const isTagged = (value: unknown): value is { [BIGINT]: string } =>
  typeof value === 'object' &&
  value !== null &&
  Object.keys(value).length === 1 &&
  /^-?\d+$/.test(String((value as Record<string, unknown>)[BIGINT]))
const decode = (json: string): SavedWatch =>
  JSON.parse(json, (_key, value) => (isTagged(value) ? BigInt(value[BIGINT]) : value))

export async function loadWatch(kv: KV, inbox: Address): Promise<SavedWatch | undefined> {
  const raw = await kv.get(savedKey(inbox))
  return raw ? decode(new TextDecoder().decode(raw)) : undefined
}

/** The put that saves `saved`, as text too (to skip a save that would change nothing). */
export function saveWatchOp(inbox: Address, saved: SavedWatch): { op: KvOp; text: string } {
  const text = encode(saved)
  return { op: { type: 'put', key: savedKey(inbox), value: new TextEncoder().encode(text) }, text }
}

/** A KV over `prefix` of `base` whose writes wait in memory until `pending()` is committed by the caller. */
export function stagedKv(base: KV, prefix: string) {
  const staged = new Map<string, KvOp>()
  const kv: KV = {
    async get(key) {
      const op = staged.get(key)
      if (op) return op.type === 'put' ? op.value : undefined
      return base.get(prefix + key)
    },
    async batch(ops) {
      for (const op of ops) staged.set(op.key, op)
    },
    async close() {},
  }
  return {
    kv,
    /** The staged ops, keyed in `base`. */
    pending: (): KvOp[] => [...staged.values()].map((op) => ({ ...op, key: prefix + op.key })),
    /** Forgets what a commit of `pending()` wrote (an op staged again since stays staged). */
    committed(ops: readonly KvOp[]) {
      for (const op of ops) {
        const key = op.key.slice(prefix.length)
        const now = staged.get(key)
        if (now && now.type === op.type && (now.type === 'del' || now.value === (op as typeof now).value))
          staged.delete(key)
      }
    },
  }
}
