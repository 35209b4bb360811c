/**
 * Vitest global setup for integration tests: one devnet for the whole run (not per test),
 * its manifest handed to tests through `inject('manifest')`, stopped on teardown.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startStack } from '@seed/devnet'
import type { TestProject } from 'vitest/node'

export default async function setup(project: TestProject) {
  const manifestPath = join(mkdtempSync(join(tmpdir(), 'seed-devnet-')), 'devnet.json')
  const stack = await startStack({ manifestPath })
  process.env.SEED_MANIFEST = manifestPath
  project.provide('manifest' as never, stack.manifest as never) // typed for tests in types/vitest-context.d.ts
  return async () => {
    await stack.stop()
  }
}
