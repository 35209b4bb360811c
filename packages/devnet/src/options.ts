/**
 * The stack's command-line options, apart from the stack itself: `pnpm dev --help` prints them
 * before anything is built (the stack imports the contracts' generated ABIs).
 */
export const STACK_OPTIONS_HELP = `  --anvil-port <n>     L1 RPC port (default: a free port)
  --bundler-port <n>   bundler port (default: a free port)
  --hardfork <name>    prague | osaka (default: prague)
  --l1-block-time <s>  seconds between L1 blocks when idle, so deposits confirm and the rollup's L1 origins
                       stay fresh (default: 2; 0 = mine only on transactions; transactions always mine at once)
  --manifest <path>    where to write the manifest (default: .seed/devnet.json)
  -h, --help           show this help`

/** `pnpm dev`'s L1 block time (seconds) when none is given. */
export const DEFAULT_L1_BLOCK_TIME = 2

export const portOption = (v: string | boolean | undefined) => (typeof v === 'string' ? Number(v) : undefined)
