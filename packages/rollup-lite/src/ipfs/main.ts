#!/usr/bin/env -S npx tsx
/** Runs the IPFS peer as a process (devnet): prints one JSON line {url, multiaddrs, peerId} when ready. */
import { parseArgs } from 'node:util'
import { startIpfsPeer } from './peer.ts'

const { values } = parseArgs({ options: { dir: { type: 'string' }, port: { type: 'string', default: '0' } } })
if (!values.dir) {
  console.error('usage: ipfs/main.ts --dir <data dir> [--port <http port>]')
  process.exit(2)
}
const peer = await startIpfsPeer({ dir: values.dir, httpPort: Number(values.port) })
console.log(JSON.stringify({ url: peer.url, multiaddrs: peer.multiaddrs, peerId: peer.peerId }))
const stop = async () => {
  await peer.stop()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
