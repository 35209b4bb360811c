/**
 * `pnpm bench [filter]`: runs every *.bench.ts whose file name or bench names contain the filter.
 * Each bench prints figures as JSON lines on stdout (see packages/testkit/src/bench.ts);
 * progress goes to stderr. Files run one after another: the machine has 2 cores.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')
const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: pnpm bench [filter]

Runs every *.bench.ts under packages/ and apps/ whose file name or bench names (e.g.
'rollup.seq.transfers_per_s') contain <filter>. Figures are JSON lines on stdout.`)
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
  .filter((f) => basename(f).includes(filter) || readFileSync(f, 'utf8').includes(`'${filter}`))
  .sort()

if (files.length === 0) {
  console.error(`no benchmark matches '${filter}'`)
  process.exit(1)
}
let failed = 0
for (const file of files) {
  console.error(`▶ ${relative(root, file)}`)
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_FILTER: filter },
  })
  if (run.status !== 0) {
    failed++
    console.error(`✗ ${relative(root, file)} exited with ${run.status}`)
  }
}
process.exit(failed ? 1 : 0)
