/** `@seed/rollup-lite/testing` (Node, tests only): a test genesis and node, and batcher helpers on the devnet. */
export { deployInbox, l1Clients, l1Sequencer, makeL2Blocks, testBatcher, tickUntil } from './derive/testing.ts'
export { rollupChain, startTestNode, TEST_CHAIN_ID, TEST_KEYS, type TestNode, testGenesis } from './testing.ts'
