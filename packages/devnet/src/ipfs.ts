/**
 * The devnet IPFS peer: a Helia node (durable fs blockstore, libp2p WebSockets on 127.0.0.1) with
 * the pin/get HTTP API of @seed/rollup-lite's src/ipfs/peer.ts, run as its own process.
 */
import { mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { DevnetError } from './ports.ts'
import { type Service, startService, waitAnnounced } from './processes.ts'

const require = createRequire(import.meta.url)

export type IpfsPeerInfo = { service: Service; url: string; multiaddr: string; peerId: string }

export type IpfsPeerOptions = {
  dir?: string
  port?: number
  /**
   * Keys allowed to pin (signed requests, rollup-lite src/ipfs/pin-protocol.ts). Without it or
   * `agentInboxes` anyone may pin: only for a peer no stranger reaches.
   */
  pinners?: readonly string[]
  /** Also allow the current sequencer of any inbox this factory made on this L1 (each agent's batcher). */
  agentInboxes?: { l1RpcUrl: string; factory: string }
}

export async function startIpfsPeer(options: IpfsPeerOptions = {}): Promise<IpfsPeerInfo> {
  const pkg = dirname(dirname(require.resolve('@seed/rollup-lite'))) // exports '.' → src/index.ts
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'seed-ipfs-'))
  const service = startService(
    'ipfs',
    process.execPath,
    [
      '--import',
      'tsx',
      join(pkg, 'src/ipfs/main.ts'),
      '--dir',
      dir,
      '--port',
      String(options.port ?? 0),
      ...(options.pinners ? ['--pinners', options.pinners.join(',')] : []),
      ...(options.agentInboxes
        ? ['--pinner-factory', options.agentInboxes.factory, '--l1', options.agentInboxes.l1RpcUrl]
        : []),
    ],
    { cwd: pkg, tempDirs: options.dir ? [] : [dir] },
  )
  const ready = await waitAnnounced<{ url: string; multiaddrs: string[]; peerId: string }>(service, 30_000)
  if (!ready.multiaddrs[0]) throw new DevnetError('ipfs peer started without a listen address')
  return { service, url: ready.url, multiaddr: ready.multiaddrs[0], peerId: ready.peerId }
}
