/**
 * `@seed/rollup-lite/gossip`: the unsafe-block gossip for a sequencer that runs elsewhere (the
 * extension's Worker), loaded on its own so that a wallet that never gossips never loads libp2p.
 */
export { type BlockGossip, isMultiaddr, startBlockGossip } from './gossip.ts'
export { publishUnsafeBlocks } from './publisher.ts'
