/**
 * Serves the web app (vite) for `pnpm dev`, with the devnet manifest as a virtual module so the
 * app reads addresses and URLs from the one source of truth.
 */
import { fileURLToPath } from 'node:url'
import type { Manifest } from '@seed/devnet'
import react from '@vitejs/plugin-react'
import { createServer, type Plugin } from 'vite'

const VIRTUAL_ID = 'virtual:seed-manifest'

export function manifestPlugin(manifest: Manifest): Plugin {
  return {
    name: 'seed-manifest',
    resolveId: (id) => (id === VIRTUAL_ID ? `\0${VIRTUAL_ID}` : undefined),
    load: (id) => (id === `\0${VIRTUAL_ID}` ? `export default ${JSON.stringify(manifest)}` : undefined),
  }
}

export async function startWebApp(manifest: Manifest, options: { port?: number } = {}) {
  const server = await createServer({
    root: fileURLToPath(new URL('.', import.meta.url)),
    configFile: false,
    logLevel: 'warn',
    plugins: [react(), manifestPlugin(manifest)],
    server: { host: '127.0.0.1', port: options.port ?? 0, strictPort: options.port !== undefined },
  })
  await server.listen()
  const address = server.httpServer?.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() }
}
