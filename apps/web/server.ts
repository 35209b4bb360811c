/**
 * Serves the built web app for `pnpm dev` and the tests: the files of `dist/` (built first when the
 * sources are newer), any other path falls back to index.html (the router owns paths), and
 * `/manifest.json`, the stack's public manifest, which the app reads at start. Operator credentials
 * never reach the page: only `publicManifest` is served.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Manifest, publicManifest } from '@seed/devnet'

const root = fileURLToPath(new URL('.', import.meta.url))
const dist = join(root, 'dist')

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
}

function newestSourceMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newestSourceMtime(join(path, name))))
}

/** True when dist/ is missing or older than any source, config or dependency change. */
export function buildIsStale(): boolean {
  const index = join(dist, 'index.html')
  if (!existsSync(index)) return true
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => newestSourceMtime(join(root, p)))
  return Math.max(...sources) > statSync(index).mtimeMs
}

/** `vite build` of the app into dist/ (the production build `pnpm --filter @seed/web build` makes). */
export async function buildWebApp(): Promise<void> {
  const { build } = await import('vite')
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' })
}

function decodedPath(url = '/'): string | undefined {
  try {
    return decodeURIComponent(new URL(url, 'http://x').pathname)
  } catch {
    return undefined
  }
}

export async function startWebApp(manifest: Manifest, options: { port?: number } = {}) {
  if (buildIsStale()) await buildWebApp()
  const manifestJson = JSON.stringify(publicManifest(manifest))
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end()
    // A malformed escape (`/%E0%A4%A`) throws here: a bad request, not the end of `pnpm dev`.
    const path = decodedPath(req.url)
    if (path === undefined) return void res.writeHead(400).end('bad path')
    if (path === '/manifest.json') {
      return void res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(manifestJson)
    }
    // normalize() folds `..`; anything that still leaves dist/ is not ours to serve.
    const file = normalize(join(dist, path))
    const inside = file.startsWith(dist + sep)
    const isAsset = inside && extname(file) !== '' && existsSync(file) && statSync(file).isFile()
    if (!isAsset && extname(path) !== '') return void res.writeHead(404).end('not found')
    const served = isAsset ? file : join(dist, 'index.html')
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(served)] ?? 'application/octet-stream',
      // Hashed asset names change with their content; index.html must be re-read.
      'cache-control': served.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    createReadStream(served).pipe(res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
