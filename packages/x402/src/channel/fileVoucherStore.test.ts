import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { createFileVoucherStore } from './fileVoucherStore.ts'

const dir = mkdtempSync(join(tmpdir(), 'seed-voucher-store-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const signature = (n: number) => `0x${n.toString(16).padStart(130, '0')}` as const

test('a save is on disk when it resolves; a new store on the same file loads it', async () => {
  const path = join(dir, 'a.json')
  await createFileVoucherStore(path).save('k', { cumulative: 5n, signature: signature(5) })
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ k: { cumulative: '5', signature: signature(5) } })
  expect(await createFileVoucherStore(path).load()).toEqual(
    new Map([['k', { cumulative: 5n, signature: signature(5) }]]),
  )
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
})

test('concurrent saves all land (shared writes); an older total never replaces a newer one', async () => {
  const path = join(dir, 'b.json')
  const store = createFileVoucherStore(path)
  await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      store.save(`channel-${i % 5}`, { cumulative: BigInt(i), signature: signature(i) }),
    ),
  )
  await store.save('channel-0', { cumulative: 1n, signature: signature(1) })
  const loaded = await createFileVoucherStore(path).load()
  expect([...loaded.keys()].sort()).toEqual(['channel-0', 'channel-1', 'channel-2', 'channel-3', 'channel-4'])
  for (let c = 0; c < 5; c++) expect(loaded.get(`channel-${c}`)?.cumulative).toBe(BigInt(45 + c))
})

test('a missing file is an empty store; a corrupt one is an error, not an empty store', async () => {
  expect((await createFileVoucherStore(join(dir, 'none.json')).load()).size).toBe(0)
  const path = join(dir, 'corrupt.json')
  writeFileSync(path, '{"k": {"cumul')
  await expect(createFileVoucherStore(path).load()).rejects.toThrow()
})
