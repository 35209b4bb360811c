/**
 * Test helper for the Chromium tests: bundles browser entry points with esbuild (in memory) and
 * serves them from a loopback HTTP server, so a real page can start them as module Workers.
 */
import { createServer } from 'node:http'
import { build } from 'esbuild'

export type ServedBundle = {
  origin: string
  /** Bundled JS by URL path (`/<entry name>.js`). */
  files: Map<string, string>
  close(): void
}

/** `entryPoints`: name → source path; served as `/<name>.js`. Any other path gets `html`. */
export async function serveBrowserBundle(entryPoints: Record<string, string>, html: string): Promise<ServedBundle> {
  const bundle = await build({
    entryPoints,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir: '/virtual',
    write: false,
    logLevel: 'silent',
  })
  const files = new Map(bundle.outputFiles.map((f) => [`/${f.path.split('/').pop()}`, f.text]))
  const server = createServer((req, res) => {
    const js = files.get(req.url ?? '')
    if (js) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(js)
    res.writeHead(200, { 'content-type': 'text/html' }).end(html)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    files,
    close: () => void server.close(),
  }
}
