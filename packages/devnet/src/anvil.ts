import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { assertPortFree, DevnetError, freePort } from './ports.ts'
import { rpcOk, type Service, startService, waitHealthy } from './processes.ts'

const require = createRequire(import.meta.url)

/** The real anvil binary (the npm wrapper spawns it; we spawn it directly so stop kills it). */
export function anvilBinary(): string {
  const wrapper = require.resolve('@foundry-rs/anvil/package.json')
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64'
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}/package.json`
  let binary: string
  try {
    binary = join(dirname(createRequire(wrapper).resolve(pkg)), 'bin', 'anvil')
  } catch {
    throw new DevnetError(`anvil binary package ${pkg} is not installed: run pnpm install`)
  }
  if (!existsSync(binary)) throw new DevnetError(`anvil binary missing at ${binary}: run pnpm install`)
  return binary
}

export type AnvilOptions = {
  port?: number
  chainId?: number
  hardfork?: 'prague' | 'osaka'
  /** Seconds between blocks; omitted = mine on every transaction. */
  blockTime?: number
  /** With `blockTime`: also mine each transaction at once (anvil's mixed mining), blocks keep coming when idle. */
  mixedMining?: boolean
}

export async function startAnvil(
  options: AnvilOptions = {},
): Promise<{ service: Service; rpcUrl: string; port: number }> {
  const port = options.port ?? (await freePort())
  if (options.port) await assertPortFree(port, 'anvil')
  const args = ['--host', '127.0.0.1', '--port', String(port), '--hardfork', options.hardfork ?? 'prague']
  args.push('--chain-id', String(options.chainId ?? 31337), '--silent')
  if (options.blockTime) args.push('--block-time', String(options.blockTime))
  if (options.blockTime && options.mixedMining) args.push('--mixed-mining')
  const service = startService('anvil', anvilBinary(), args)
  const rpcUrl = `http://127.0.0.1:${port}`
  await waitHealthy(service, () => rpcOk(rpcUrl, 'eth_chainId'), 15_000)
  return { service, rpcUrl, port }
}
