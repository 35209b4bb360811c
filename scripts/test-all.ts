/**
 * `pnpm test:all`: unit, integration (real devnet), then end-to-end (headless Chromium with the
 * extension loaded). Ends with each failed test on a line of its own, then `Tests: N passed, N failed,
 * N skipped`. A run that leaves a Seed folder in the temp dir fails: tests clean up after themselves.
 *
 * The devnets boot here, while the unit tests run (they need none), and are handed to the runs
 * through SEED_TEST_DEVNET (testkit's global setup): one for integration, then a fresh one for e2e,
 * since integration tests move the devnet's clock and leave state the browser tests don't expect.
 * The e2e one boots right after the first and idles (a stack at rest costs ~2 % of a core) until
 * its turn, so no boot waits on the path once the unit tests are done. The runs go one after another:
 * integration beside e2e saves ~10 minutes on 2 cores, but the e2e tests then run ~25 % slower, and
 * tests waiting on a verifier's answer failed more often under that load.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { startStack } from '@seed/devnet'

const root = join(import.meta.dirname, '..')
const outDir = join(root, '.seed', 'test-results')
rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })

type Totals = { passed: number; failed: number; skipped: number }
const totals: Totals = { passed: 0, failed: 0, skipped: 0 }
/** Each failure, one line, repeated at the very end: a long run's log is often read from its tail. */
const failures: string[] = []

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
  const vitest = [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...args]
  const reporters = ['--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`]
  const code = await runNode([...vitest, ...reporters], env)
  console.error(`${name}: ${elapsed(started)}${code === 0 ? '' : ' (failed)'}`)
  if (existsSync(outputFile)) {
    const r = JSON.parse(readFileSync(outputFile, 'utf8'))
    totals.passed += r.numPassedTests
    totals.failed += r.numFailedTests
    totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0)
    if (r.numTotalTests === 0) {
      totals.failed++ // a suite that ran nothing is a failure
      failures.push(`${name}: no test ran`)
    }
    failures.push(...failedIn(name, r))
  } else {
    totals.failed++
    failures.push(`${name}: no report (vitest exited with ${code})`)
  }
  return code === 0
}

type JsonReport = {
  testResults: {
    name: string
    status: string
    message?: string
    assertionResults: { status: string; fullName: string; failureMessages?: string[] }[]
  }[]
}

/** `run › file › test: first line of the error`, for each failed test and each file that failed to load. */
function failedIn(run: string, report: JsonReport): string[] {
  const firstLine = (text = '') => text.trim().split('\n')[0]
  return report.testResults.flatMap((file) => {
    const where = `${run} › ${relative(root, file.name)}`
    const tests = file.assertionResults
      .filter((test) => test.status === 'failed')
      .map((test) => `${where} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`)
    if (!tests.length && file.status === 'failed') return [`${where}: ${firstLine(file.message)}`]
    return tests
  })
}

/** The temp dir's Seed folders (what the devnet, the tests and the builds create, all named `seed-*`). */
const seedTempFolders = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('seed-')))
const tempBefore = seedTempFolders()

let ok = (await runNode([join(root, 'scripts/ensure-chromium.mjs')])) === 0

type Devnet = { manifestPath: string; stop(): Promise<void> }

/** Boots a devnet for one run; undefined (and said why) if it did not start. */
async function bootDevnet(name: string): Promise<Devnet | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'seed-devnet-'))
  const manifestPath = join(dir, 'devnet.json')
  const started = performance.now()
  try {
    const stack = await startStack({ manifestPath })
    console.error(`${name} devnet: up in ${elapsed(started)}`)
    let stopping: Promise<void> | undefined
    const stop = () => stack.stop().finally(() => rmSync(dir, { recursive: true, force: true }))
    return { manifestPath, stop: () => (stopping ??= stop()) }
  } catch (error) {
    console.error(`✗ the ${name} devnet did not start: ${(error as Error).message}`)
    rmSync(dir, { recursive: true, force: true })
    return undefined
  }
}

/** Runs the project on its devnet, then stops it (a devnet that did not start fails the run). */
async function runOnDevnet(name: string, args: string[], booting: Promise<Devnet | undefined>) {
  const devnet = await booting
  if (!devnet) {
    totals.failed++
    failures.push(`${name}: its devnet did not start`)
    return false
  }
  try {
    return await run(name, args, { SEED_TEST_DEVNET: devnet.manifestPath })
  } finally {
    await devnet.stop()
  }
}

const integrationDevnet = bootDevnet('integration')
// One boot at a time: two at once would only compete for the same cores.
const e2eDevnet = integrationDevnet.then(() => bootDevnet('e2e'))
const stopDevnets = () => Promise.all([integrationDevnet, e2eDevnet].map(async (booting) => (await booting)?.stop()))
// Interrupted (Ctrl-C, a CI timeout): the devnets' processes go too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stopDevnets().finally(() => process.exit(1)))
}
try {
  ok = (await run('unit', ['--project', 'unit'])) && ok
  ok = (await runOnDevnet('integration', ['--project', 'integration'], integrationDevnet)) && ok
  ok = (await runOnDevnet('e2e', ['--config', 'vitest.e2e.config.ts'], e2eDevnet)) && ok
} finally {
  await stopDevnets() // whatever failed above, no devnet outlives the run
}

const leftBehind = [...seedTempFolders()].filter((name) => !tempBefore.has(name))
if (leftBehind.length) {
  console.error(`✗ the run left ${leftBehind.length} folder(s) in ${tmpdir()}: ${leftBehind.join(', ')}`)
  totals.failed++
}
for (const failure of failures) console.error(`✗ ${failure}`)
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(ok && totals.failed === 0 ? 0 : 1)
