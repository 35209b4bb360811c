/** Runs the IPFS peer as a process (devnet): prints one JSON line {url, multiaddrs, peerId} when ready. */
import { parseArgs } from 'node:util'
import { startIpfsPeer } from './peer.ts'

const USAGE = `Usage: tsx packages/rollup-lite/src/ipfs/main.ts --dir <data dir> [--port <http port>]

Runs the IPFS peer (Helia: libp2p WebSockets with the /seed/pin/1.0.0 pin protocol, bitswap, and an
HTTP API for pinning and reading batches). Prints one JSON line {url, multiaddrs, peerId} when ready.
  --dir <path>    where blocks and the peer key are kept (required)
  --port <n>      HTTP API port (default 0: any free port)
  --pinners <a,b> addresses allowed to pin (signed requests); without it anyone may pin
  -h, --help      this text`

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    port: { type: 'string', default: '0' },
    pinners: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
if (!values.dir) {
  console.error(USAGE)
  process.exit(2)
}
const pinners = values.pinners?.split(',').map((a) => a.trim() as `0x${string}`)
const peer = await startIpfsPeer({ dir: values.dir, httpPort: Number(values.port), pinners })
console.log(JSON.stringify({ url: peer.url, multiaddrs: peer.multiaddrs, peerId: peer.peerId }))
const stop = async () => {
  await peer.stop()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
