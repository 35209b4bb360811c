/**
 * Serves the running stack's manifest read-only (`GET /manifest.json`), so the wallet's devnet
 * preset reads the stack as it runs now instead of the one its build saw. Only what apps may know:
 * the operator credentials never leave this process. CORS is open: it is public data on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http'
import type { Manifest } from './manifest.ts'

/** Where the wallet looks first (a fixed port survives restarts of the stack); a free port when it is taken. */
export const MANIFEST_PORT = 8547

export type ManifestServer = { url: string; close(): Promise<void> }

/** What apps may read of the manifest: everything but the operator credentials. */
export function publicManifest({ operator: _secrets, ...manifest }: Manifest): Omit<Manifest, 'operator'> {
  return manifest
}

function listen(server: Server, port: number) {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as { port: number }).port)
    })
  })
}

/**
 * `manifest` is read on every request, so the served copy is the stack's current one (undefined
 * while the stack is still starting: the manifest names this server's URL, so it starts first).
 */
export async function startManifestServer(
  manifest: () => Manifest | undefined,
  port = MANIFEST_PORT,
): Promise<ManifestServer> {
  const server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*')
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (req.method !== 'GET' || path !== '/manifest.json') return void res.writeHead(404).end('not found')
    const current = manifest()
    if (!current) return void res.writeHead(503).end('the stack is starting')
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(publicManifest(current)))
  })
  const bound = await listen(server, port).catch(() => listen(server, 0))
  return {
    url: `http://127.0.0.1:${bound}/manifest.json`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
