/**
 * Builds the unpacked MV3 extension against a devnet manifest (its config is baked in at build
 * time). Used by `pnpm dev` (after the stack is up), the e2e tests and the benchmarks.
 */
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

export const EXTENSION_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

export type BuildOptions = {
  /** The devnet manifest to bake in (default: SEED_MANIFEST or .seed/devnet.json). */
  manifestPath?: string
  /** Where WXT writes (default: apps/extension/.output); the extension is in `<outDir>/chrome-mv3`. */
  outDir?: string
  /** The explicit dev flag (decision 0402): fund the devnet's public dev accounts in the rollup genesis. */
  devRollupAccounts?: boolean
}

export async function buildExtension(options: BuildOptions = {}): Promise<string> {
  const outDir = options.outDir ?? join(EXTENSION_ROOT, '.output')
  const env: NodeJS.ProcessEnv = { ...process.env, SEED_EXT_OUT_DIR: outDir }
  if (options.manifestPath) env.SEED_MANIFEST = options.manifestPath
  env.SEED_DEV_ROLLUP_ACCOUNTS = options.devRollupAccounts ? '1' : '0'
  await promisify(execFile)(join(EXTENSION_ROOT, 'node_modules', '.bin', 'wxt'), ['build'], {
    cwd: EXTENSION_ROOT,
    env,
  })
  return join(outDir, 'chrome-mv3')
}

/** `pnpm dev` hook: build against the running stack and say how to load the extension. */
export async function buildForDevnet(manifestPath: string): Promise<[string, string][]> {
  const folder = await buildExtension({ manifestPath })
  return [
    ['Extension (unpacked)', folder],
    ['  load it', 'chrome://extensions → Developer mode → Load unpacked → the folder above'],
  ]
}
