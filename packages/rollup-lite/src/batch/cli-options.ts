/** `rollup-lite node --batch-*` flags → attachBatcher options (the sequencer key comes from the env). */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Address, createPublicClient, type Hex, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { loadNativeKzg } from '../chain/native-kzg.ts'
import { fallbackPinner } from '../ipfs/fallback-pinner.ts'
import { createFsHeliaNode } from '../ipfs/helia-node-fs.ts'
import { heliaPinner } from '../ipfs/helia-pinner.ts'
import type { PinSigner } from '../ipfs/pin-protocol.ts'
import { httpPinner, type IpfsPinner } from '../ipfs/pinner.ts'
import type { AttachBatcherOptions } from './attach.ts'

export async function batcherOptions(
  values: Record<string, string | boolean | undefined>,
): Promise<AttachBatcherOptions> {
  const l1RpcUrl = values['batch-l1'] as string
  const inbox = values['batch-inbox'] as Address | undefined
  const key = process.env.SEQUENCER_KEY as Hex | undefined
  if (!inbox || !key) throw new Error('--batch-l1 needs --batch-inbox and the SEQUENCER_KEY environment variable')
  const l1ChainId = await createPublicClient({ transport: http(l1RpcUrl) }).getChainId()
  const account = privateKeyToAccount(key)
  return {
    l1RpcUrl,
    l1ChainId,
    inbox,
    account,
    // The sequencer key that posts the batches also signs their pins (decision 0310).
    ipfs: await ipfsPinner(
      values['batch-ipfs'] as string | undefined,
      values['data-dir'] as string | undefined,
      account,
    ),
    kzg: loadNativeKzg(),
    policy: { maxChannelDurationMs: Number(values['batch-max-wait'] ?? 60_000) },
    intervalMs: 1_000,
    log: (e) => {
      if (e.type === 'waiting' && !e.reason.startsWith('error')) return
      console.log(JSON.stringify({ event: `batch.${e.type}`, ...e }, (_, v) => (typeof v === 'bigint' ? `${v}` : v)))
    },
  }
}

/**
 * `--batch-ipfs <multiaddr|url>[,<url>]`: a /ws multiaddr pins through this process's own Helia node
 * (durable blockstore next to the data dir) over libp2p; an http URL through the peer's HTTP API;
 * both (comma-separated): libp2p first, HTTP as the fallback.
 */
async function ipfsPinner(
  flag: string | undefined,
  dataDir: string | undefined,
  signer: PinSigner,
): Promise<IpfsPinner | undefined> {
  const targets = flag?.split(',').filter(Boolean) ?? []
  const peer = targets.find((t) => t.startsWith('/'))
  const url = targets.find((t) => /^https?:/.test(t))
  const http = url ? httpPinner(url, { signer }) : undefined
  if (!peer) return http
  const helia = await createFsHeliaNode(`${dataDir ?? mkdtempSync(join(tmpdir(), 'rollup-'))}-ipfs`)
  const libp2p = heliaPinner(helia, peer, { signer })
  return http ? fallbackPinner(libp2p, http) : libp2p
}
