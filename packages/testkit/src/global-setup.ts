/**
 * Vitest global setup for integration and e2e tests: one devnet for the whole run (not per test),
 * its manifest handed to tests through `inject('manifest')`, stopped on teardown. Tests put their
 * temp folders under `SEED_TEST_TMP` (removed on teardown), so a run leaves nothing in the temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startStack } from '@seed/devnet'
import type { TestProject } from 'vitest/node'

export default async function setup(project: TestProject) {
  const runDir = mkdtempSync(join(tmpdir(), 'seed-test-'))
  process.env.SEED_TEST_TMP = runDir
  const manifestPath = join(runDir, 'devnet.json')
  const stack = await startStack({ manifestPath })
  process.env.SEED_MANIFEST = manifestPath
  project.provide('manifest' as never, stack.manifest as never) // typed for tests in types/vitest-context.d.ts
  return async () => {
    await stack.stop()
    rmSync(runDir, { recursive: true, force: true })
  }
}
