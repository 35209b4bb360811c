/**
 * Vitest global setup for integration tests: one devnet for the whole run (not per test),
 * its manifest handed to tests through `inject('manifest')`, stopped on teardown.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Manifest, startStack } from '@seed/devnet'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    manifest: Manifest
  }
}

export default async function setup(project: TestProject) {
  const manifestPath = join(mkdtempSync(join(tmpdir(), 'seed-devnet-')), 'devnet.json')
  const stack = await startStack({ manifestPath })
  process.env.SEED_MANIFEST = manifestPath
  project.provide('manifest', stack.manifest)
  return async () => {
    await stack.stop()
  }
}
