import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKvConformance } from './kv-conformance.ts'
import { openLevelKv } from './level-kv.ts'

describe('LevelDB KV', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rollup-kv-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('passes the KV conformance suite', async () => {
    const results = await runKvConformance(() => openLevelKv(join(dir, 'db')))
    expect(results.filter((r) => !r.ok)).toEqual([])
    expect(results.length).toBeGreaterThan(5)
  })
})
