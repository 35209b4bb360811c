/**
 * The layering rule (SPEC.md §9): the sequencer, the batcher and derivation depend on protocol/
 * (and the shared chain/, exec/, state/ code) and never on each other, and protocol/ depends on
 * none of them. Walks the relative imports of the production files transitively, so a rule that
 * creeps back into a role's folder through a shared module is caught too. Test support
 * (`*.test.ts`, `*.bench.ts`, `*.e2e.ts`, `testing.ts`, `fixtures.ts`, and the Chromium tests'
 * `browser-*.ts` pages and Workers) may wire roles together.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'

const SRC = resolve(import.meta.dirname, '..')
const TEST_SUPPORT = /(\.test|\.bench|\.e2e)\.ts$|\/(testing|fixtures|browser-[a-z-]+)\.ts$/
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g

const role = (file: string): string | undefined => {
  const path = relative(SRC, file)
  if (path === 'create-node.ts') return 'sequencer'
  const folder = path.split('/')[0]
  return folder === 'derive' || folder === 'batch' || folder === 'sequencer' || folder === 'protocol'
    ? folder
    : undefined
}

function productionFiles(folder: string): string[] {
  return readdirSync(join(SRC, folder), { recursive: true, encoding: 'utf8' })
    .map((f) => join(SRC, folder, f))
    .filter((f) => f.endsWith('.ts') && !TEST_SUPPORT.test(f))
}

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1] as string))

/** Every file reachable from `roots`, with the first path that reached it. */
function reachable(roots: string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>(roots.map((r) => [r, [r]]))
  const queue = [...roots]
  for (let file = queue.shift(); file; file = queue.shift()) {
    for (const next of importsOf(file)) {
      if (seen.has(next) || TEST_SUPPORT.test(next)) continue
      seen.set(next, [...(seen.get(file) as string[]), next])
      queue.push(next)
    }
  }
  return seen
}

const forbidden: Record<string, string[]> = {
  derive: ['batch', 'sequencer'],
  batch: ['derive', 'sequencer'],
  sequencer: ['derive', 'batch'],
  protocol: ['derive', 'batch', 'sequencer'],
}

describe('layering', () => {
  for (const [from, not] of Object.entries(forbidden)) {
    test(`${from} reaches none of ${not.join(', ')}`, () => {
      const roots =
        from === 'sequencer' ? [...productionFiles('sequencer'), join(SRC, 'create-node.ts')] : productionFiles(from)
      const crossings = [...reachable(roots).values()]
        .filter((path) => not.includes(role(path.at(-1) as string) as string))
        .map((path) => path.map((f) => relative(SRC, f)).join(' → '))
      expect(crossings).toEqual([])
    })
  }
})
