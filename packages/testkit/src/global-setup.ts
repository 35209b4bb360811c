/**
 * Vitest global setup for integration and e2e tests: one devnet for the whole run (not per test),
 * its manifest handed to tests through `inject('manifest')`, stopped on teardown. Tests put their
 * temp folders under `SEED_TEST_TMP` (removed on teardown), so a run leaves nothing in the temp dir.
 *
 * `SEED_TEST_DEVNET` (a manifest path): use that running devnet instead of starting one. `pnpm
 * test:all` boots the integration devnet itself while the unit tests run, and stops it afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Manifest, readManifest, type Stack, startStack } from '@seed/devnet'
import type { TestProject } from 'vitest/node'

export default async function setup(project: TestProject) {
  const runDir = mkdtempSync(join(tmpdir(), 'seed-test-'))
  process.env.SEED_TEST_TMP = runDir
  let stack: Stack | undefined
  let manifest: Manifest
  const running = process.env.SEED_TEST_DEVNET
  if (running) {
    manifest = readManifest(running)
    process.env.SEED_MANIFEST = running
  } else {
    const manifestPath = join(runDir, 'devnet.json')
    // A devnet that fails to start leaves no run folder behind (vitest runs no teardown then).
    stack = await startStack({ manifestPath }).catch((error: unknown) => {
      rmSync(runDir, { recursive: true, force: true })
      throw error
    })
    manifest = stack.manifest
    process.env.SEED_MANIFEST = manifestPath
  }
  project.provide('manifest' as never, manifest as never) // typed for tests in types/vitest-context.d.ts
  return async () => {
    await stack?.stop()
    rmSync(runDir, { recursive: true, force: true })
  }
}
