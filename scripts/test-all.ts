/**
 * `pnpm test:all`: unit, integration (real devnet), then end-to-end (headless Chromium with the
 * extension loaded). Prints one closing line `Tests: N passed, N failed, N skipped`. A run that
 * leaves a Seed folder in the temp dir fails: tests clean up after themselves.
 *
 * The integration devnet boots here, while the unit tests run (they don't need it), and is handed
 * to the integration run through SEED_TEST_DEVNET (testkit's global setup). The e2e run starts its
 * own: integration tests move the devnet's clock and leave state the browser tests don't expect.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Stack, startStack } from '@seed/devnet'

const root = join(import.meta.dirname, '..')
const outDir = join(root, '.seed', 'test-results')
rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })

type Totals = { passed: number; failed: number; skipped: number }
const totals: Totals = { passed: 0, failed: 0, skipped: 0 }

const elapsed = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`

/** Runs a node script to its end (asynchronously: the devnet's in-process servers answer meanwhile). */
function runNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number | null> {
  return new Promise((resolve, reject) => {
    spawn(process.execPath, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } })
      .once('error', reject)
      .once('exit', (code) => resolve(code))
  })
}

async function run(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<boolean> {
  const outputFile = join(outDir, `${name}.json`)
  const started = performance.now()
  const code = await runNode(
    [
      join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      ...args,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${outputFile}`,
    ],
    env,
  )
  console.error(`${name}: ${elapsed(started)}`)
  if (existsSync(outputFile)) {
    const r = JSON.parse(readFileSync(outputFile, 'utf8'))
    totals.passed += r.numPassedTests
    totals.failed += r.numFailedTests
    totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0)
    if (r.numTotalTests === 0) totals.failed++ // a suite that ran nothing is a failure
  } else {
    totals.failed++
  }
  return code === 0
}

/** The temp dir's Seed folders (what the devnet, the tests and the builds create, all named `seed-*`). */
const seedTempFolders = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('seed-')))
const tempBefore = seedTempFolders()

let ok = (await runNode([join(root, 'scripts/ensure-chromium.mjs')])) === 0

const devnetDir = mkdtempSync(join(tmpdir(), 'seed-devnet-'))
const devnetManifest = join(devnetDir, 'devnet.json')
const bootStarted = performance.now()
const booting = startStack({ manifestPath: devnetManifest }).then(
  (stack) => {
    console.error(`integration devnet: up in ${elapsed(bootStarted)}`)
    return stack
  },
  (error: Error) => {
    console.error(`✗ the integration devnet did not start: ${error.message}`)
    return undefined
  },
)
ok = (await run('unit', ['--project', 'unit'])) && ok
const stack: Stack | undefined = await booting
if (stack) {
  try {
    ok = (await run('integration', ['--project', 'integration'], { SEED_TEST_DEVNET: devnetManifest })) && ok
  } finally {
    await stack.stop()
  }
} else {
  ok = false
  totals.failed++
}
rmSync(devnetDir, { recursive: true, force: true })
ok = (await run('e2e', ['--config', 'vitest.e2e.config.ts'])) && ok

const leftBehind = [...seedTempFolders()].filter((name) => !tempBefore.has(name))
if (leftBehind.length) {
  console.error(`✗ the run left ${leftBehind.length} folder(s) in ${tmpdir()}: ${leftBehind.join(', ')}`)
  totals.failed++
}
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(ok && totals.failed === 0 ? 0 : 1)
