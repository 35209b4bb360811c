/** Runs the IPFS peer as a process (devnet): prints one JSON line {url, multiaddrs, peerId} when ready. */
import { parseArgs } from 'node:util'
import { startIpfsPeer } from './peer.ts'

const USAGE = `Usage: tsx packages/rollup-lite/src/ipfs/main.ts --dir <data dir> [--port <http port>]

Runs the IPFS peer (Helia: libp2p WebSockets with the /seed/pin/1.0.0 pin protocol, bitswap, and an
HTTP API for pinning and reading batches). Prints one JSON line {url, multiaddrs, peerId} when ready.
  --dir <path>    where blocks and the peer key are kept (required)
  --port <n>      HTTP API port (default 0: any free port)
  --pinners <a,b> addresses allowed to pin (signed requests); without it or --pinner-factory anyone may pin
  --pinner-factory <address>  also allow the current sequencer of any inbox this RollupInboxFactory made
  --l1 <rpc url>  the L1 where --pinner-factory lives
  -h, --help      this text`

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    port: { type: 'string', default: '0' },
    pinners: { type: 'string' },
    'pinner-factory': { type: 'string' },
    l1: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
if (!values.dir || Boolean(values['pinner-factory']) !== Boolean(values.l1)) {
  console.error(USAGE)
  process.exit(2)
}
const pinners = values.pinners?.split(',').map((a) => a.trim() as `0x${string}`)
const factory = values['pinner-factory'] as `0x${string}` | undefined
const agentInboxes = factory && values.l1 ? { factory, l1RpcUrl: values.l1 } : undefined
const peer = await startIpfsPeer({ dir: values.dir, httpPort: Number(values.port), pinners, agentInboxes })
console.log(JSON.stringify({ url: peer.url, multiaddrs: peer.multiaddrs, peerId: peer.peerId }))
const stop = async () => {
  await peer.stop()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
