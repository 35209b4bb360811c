/** Pins with `primary` (the libp2p path); if that fails, with `fallback` (the peer's HTTP API). */
import { IpfsPinError, type IpfsPinner } from './pinner.ts'

export function fallbackPinner(primary: IpfsPinner, fallback: IpfsPinner): IpfsPinner {
  return {
    async pin(cid, bytes) {
      try {
        await primary.pin(cid, bytes)
      } catch (first) {
        await fallback.pin(cid, bytes).catch((second: Error) => {
          throw new IpfsPinError(`${(first as Error).message}; fallback: ${second.message}`)
        })
      }
    },
  }
}
