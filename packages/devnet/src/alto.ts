import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { assertPortFree, freePort } from './ports.ts'
import { rpcOk, type Service, startService, waitHealthy } from './processes.ts'

const require = createRequire(import.meta.url)

export type AltoOptions = {
  rpcUrl: string
  entryPoints: readonly `0x${string}`[]
  executorKey: `0x${string}`
  utilityKey: `0x${string}`
  port?: number
}

/** Starts the Pimlico alto bundler. Its package exports hide the CLI, so we find it by path. */
export async function startAlto(options: AltoOptions): Promise<{ service: Service; url: string; port: number }> {
  const port = options.port ?? (await freePort())
  if (options.port) await assertPortFree(port, 'alto')
  const cli = join(dirname(require.resolve('@pimlico/alto')), 'cli', 'alto.js')
  const service = startService('alto', process.execPath, [
    cli,
    '--entrypoints',
    options.entryPoints.join(','),
    '--executor-private-keys',
    options.executorKey,
    '--utility-private-key',
    options.utilityKey,
    '--rpc-url',
    options.rpcUrl,
    '--port',
    String(port),
    '--safe-mode',
    'false',
    '--block-time',
    '250',
    '--enable-cors',
    'true',
    '--log-level',
    'warn',
    '--public-client-log-level',
    'warn',
    '--wallet-client-log-level',
    'warn',
  ])
  const url = `http://127.0.0.1:${port}`
  await waitHealthy(service, () => rpcOk(url, 'eth_supportedEntryPoints'), 30_000)
  return { service, url, port }
}
