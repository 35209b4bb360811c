/**
 * `pnpm bench [filter]`: runs every *.bench.ts whose path or figure names match the filter.
 * Each bench prints figures as JSON lines on stdout (see packages/testkit/src/bench.ts);
 * progress goes to stderr. Files run one after another: the machine has 2 cores.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')
const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: pnpm bench [filter]

Runs every *.bench.ts under packages/ and apps/ whose path contains <filter>, or that
reports a figure named <filter> or with <filter> as one of its dotted parts ('seq' and
'rollup.seq' both select 'rollup.seq.transfers_per_s'). Figures are JSON lines on stdout.`)
  process.exit(0)
}
const filter = args[0] ?? ''

function findBenches(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name.startsWith('.')) return []
    const path = join(dir, e.name)
    return e.isDirectory() ? findBenches(path) : e.name.endsWith('.bench.ts') ? [path] : []
  })
}

const files = ['packages', 'apps']
  .flatMap((d) => findBenches(join(root, d)))
  .filter((f) => relative(root, f).includes(filter) || figureNames(f).some(matchesFigure))
  .sort()

/** Figure names are dotted lower-case literals ('rollup.seq.transfers_per_s'): other strings in a bench don't select it. */
function figureNames(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/['"`]([a-z0-9_]+(?:\.[a-z0-9_]+)+)['"`]/g)].map((m) => m[1])
}

function matchesFigure(name: string): boolean {
  return `.${name}.`.includes(`.${filter}.`) || name.startsWith(filter)
}

if (files.length === 0) {
  console.error(`no benchmark matches '${filter}'`)
  process.exit(1)
}
let failed = 0
for (const file of files) {
  console.error(`▶ ${relative(root, file)}`)
  // The harnesses put their temp folders (browser profiles, agent homes) under SEED_TEST_TMP, as in the
  // tests: one folder per bench, removed after it, so a bench that stops early leaves nothing behind.
  const tmp = mkdtempSync(join(tmpdir(), 'seed-bench-'))
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_FILTER: filter, SEED_TEST_TMP: tmp },
  })
  rmSync(tmp, { recursive: true, force: true })
  if (run.status !== 0) {
    failed++
    console.error(`✗ ${relative(root, file)} exited with ${run.status}`)
  }
}
process.exit(failed ? 1 : 0)
