/** Bundles the Worker entry and the test page with esbuild into `outDir` (served over http). */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

export async function buildBrowserBundle(outDir: string): Promise<void> {
  const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))
  await build({
    entryPoints: {
      worker: here('../../src/worker/worker.ts'),
      recover: here('../../src/worker/recover-worker.ts'),
      page: here('./page.ts'),
    },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: false,
    logLevel: 'warning',
    define: { 'process.env.NODE_DEBUG': 'false', global: 'globalThis' },
  })
  writeFileSync(
    `${outDir}/index.html`,
    '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="./page.js"></script></head><body>rollup-lite</body></html>',
  )
}
