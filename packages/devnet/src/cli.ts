/** seed-devnet: the local stack alone (no web app, no extension build). `pnpm dev` runs the whole product. */
import { STACK_OPTIONS_HELP } from './options.ts'
import { runStack } from './run.ts'

await runStack({
  command: 'up',
  help: `seed-devnet — the Seed local stack: L1 devnet with blobs, contracts, bundler, IPFS peer,
rollup node with its batcher, x402 facilitator, faucet

Usage:
  seed-devnet up [options]     start the stack, print a status table, run until Ctrl-C
  seed-devnet --help

Options:
${STACK_OPTIONS_HELP}
`,
})
