/**
 * The browser batcher's IPFS path as one entry (`@seed/rollup-lite/ipfs-browser`): a Helia node over
 * IndexedDB pinning through the peer's libp2p protocol, the peer's HTTP API as fallback. Its own
 * entry so a page or Worker can load Helia with a dynamic import, only when it batches.
 */
export { fallbackPinner } from './fallback-pinner.ts'
export { createIdbHeliaNode } from './helia-node-idb.ts'
export { heliaPinner } from './helia-pinner.ts'
export { PIN_SIGNATURE_HEADER, type PinSigner, pinMessage } from './pin-protocol.ts'
export { httpPinner, IpfsPinError, type IpfsPinner, type PinnerOptions } from './pinner.ts'
