/**
 * An `IpfsPinner` over libp2p: the batcher's own Helia node stores the channel bytes with
 * @helia/unixfs (one raw leaf: the CID is the raw sha2-256 CID that goes on L1, SPEC.md §4), dials
 * the devnet peer over WebSockets and asks it to pin (`/seed/pin/1.0.0`, signed by `signer` when
 * given); the peer fetches the block from this node over bitswap. Runs in Node and in a browser Worker.
 */
import type { Helia } from '@helia/interface'
import { unixfs } from '@helia/unixfs'
import { multiaddr } from '@multiformats/multiaddr'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { encodePinRequest, MAX_PIN_BYTES, PIN_PROTOCOL, type PinReply, readAll } from './pin-protocol.ts'
import { IpfsPinError, type IpfsPinner, type PinnerOptions } from './pinner.ts'

export type HeliaPinnerOptions = PinnerOptions & { timeoutMs?: number }

export function heliaPinner(helia: Helia, peer: string, options: HeliaPinnerOptions = {}): IpfsPinner {
  const fs = unixfs(helia)
  const peerAddress = multiaddr(peer)
  return {
    async pin(cid, bytes) {
      if (bytes.length > MAX_PIN_BYTES) throw new IpfsPinError(`batch of ${bytes.length} bytes above one block`)
      const stored = await fs.addBytes(bytes, {
        cidVersion: 1,
        rawLeaves: true,
        reduceSingleLeafToSelf: true,
        chunker: fixedSize({ chunkSize: MAX_PIN_BYTES }),
      })
      if (!stored.equals(cid)) throw new IpfsPinError(`unixfs stored ${stored}, the batch CID is ${cid}`)
      const signal = AbortSignal.timeout(options.timeoutMs ?? 30_000)
      let reply: PinReply
      try {
        const stream = await helia.libp2p.dialProtocol(peerAddress, PIN_PROTOCOL, { signal })
        await stream.sink([await encodePinRequest(cid, options.signer)])
        reply = JSON.parse(new TextDecoder().decode(await readAll(stream.source)))
      } catch (e) {
        throw new IpfsPinError(`${peer}: ${(e as Error).message}`)
      }
      if ('error' in reply) throw new IpfsPinError(`${peer}: ${reply.error}`)
    },
  }
}
