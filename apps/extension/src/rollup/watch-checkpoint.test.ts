import { type KvOp, memoryKv } from '@seed/rollup-lite'
import { expect, test } from 'vitest'
import { loadWatch, type SavedWatch, saveWatchOp, stagedKv } from './watch-checkpoint.ts'

const inbox = '0x00000000000000000000000000000000000000aa'
const bytes = (s: string) => new TextEncoder().encode(s)

test('a saved checkpoint comes back with its bigints, and a string that looks like one stays a string', async () => {
  const kv = memoryKv()
  const saved: SavedWatch = {
    generation: 2,
    checkpoint: {
      scannedTo: 123n,
      batches: [],
      derived: 1,
      stuck: false,
      checked: [[0n, { batchHash: '0x01', ok: true }]],
      unsettled: [],
    },
  }
  const reason = { $bigint: '12', text: '12n' }
  await kv.batch([saveWatchOp(inbox, { ...saved, extra: reason } as SavedWatch).op])
  const back = (await loadWatch(kv, inbox)) as SavedWatch & { extra: unknown }
  expect(back.checkpoint).toEqual(saved.checkpoint)
  expect(back.extra).toEqual(reason)
  expect(await loadWatch(kv, '0x00000000000000000000000000000000000000bb')).toBeUndefined()
})

test('staged writes are read back at once but reach the store only when committed, nothing staged since is lost', async () => {
  const base = memoryKv()
  await base.batch([{ type: 'put', key: 'p/kept', value: bytes('old') }])
  const staged = stagedKv(base, 'p/')
  await staged.kv.batch([
    { type: 'put', key: 'a', value: bytes('1') },
    { type: 'del', key: 'kept' },
  ])
  expect(await staged.kv.get('a')).toEqual(bytes('1'))
  expect(await staged.kv.get('kept')).toBeUndefined()
  // A Worker killed now leaves the store as it was.
  expect(await base.get('p/a')).toBeUndefined()
  expect(await base.get('p/kept')).toEqual(bytes('old'))

  const ops: KvOp[] = staged.pending()
  expect(ops.map((op) => op.key).sort()).toEqual(['p/a', 'p/kept'])
  await staged.kv.batch([{ type: 'put', key: 'a', value: bytes('2') }]) // written while the commit runs
  await base.batch(ops)
  staged.committed(ops)
  expect(staged.pending()).toEqual([{ type: 'put', key: 'p/a', value: bytes('2') }])
  expect(await staged.kv.get('a')).toEqual(bytes('2'))
  expect(await base.get('p/kept')).toBeUndefined()
})
