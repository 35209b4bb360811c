/**
 * `pnpm test:all`: unit + integration (real devnet), then end-to-end (headless Chromium with the
 * extension loaded). Prints one closing line `Tests: N passed, N failed, N skipped`. A run that
 * leaves a Seed folder in the temp dir fails: tests clean up after themselves.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const outDir = join(root, '.seed', 'test-results')
rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })

type Totals = { passed: number; failed: number; skipped: number }
const totals: Totals = { passed: 0, failed: 0, skipped: 0 }

function run(name: string, args: string[], requireTests = true): boolean {
  const outputFile = join(outDir, `${name}.json`)
  const started = performance.now()
  const res = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      ...args,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${outputFile}`,
    ],
    { stdio: 'inherit', cwd: root },
  )
  console.error(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  if (existsSync(outputFile)) {
    const r = JSON.parse(readFileSync(outputFile, 'utf8'))
    totals.passed += r.numPassedTests
    totals.failed += r.numFailedTests
    totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0)
    if (requireTests && r.numTotalTests === 0) totals.failed++ // a suite that ran nothing is a failure
  } else {
    totals.failed++
  }
  return res.status === 0
}

/** The temp dir's Seed folders (what the devnet, the tests and the builds create, all named `seed-*`). */
const seedTempFolders = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('seed-')))
const tempBefore = seedTempFolders()

const chromium = spawnSync(process.execPath, [join(root, 'scripts/ensure-chromium.mjs')], { stdio: 'inherit' })
let ok = chromium.status === 0
ok = run('unit-integration', ['--project', 'unit', '--project', 'integration']) && ok
ok = run('e2e', ['--config', 'vitest.e2e.config.ts']) && ok
const leftBehind = [...seedTempFolders()].filter((name) => !tempBefore.has(name))
if (leftBehind.length) {
  console.error(`✗ the run left ${leftBehind.length} folder(s) in ${tmpdir()}: ${leftBehind.join(', ')}`)
  totals.failed++
}
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(ok && totals.failed === 0 ? 0 : 1)
