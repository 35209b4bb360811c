/**
 * The stack's command-line options, apart from the stack itself: `pnpm dev --help` prints them
 * before anything is built (the stack imports the contracts' generated ABIs).
 */
export const STACK_OPTIONS_HELP = `  --anvil-port <n>     L1 RPC port (default: a free port)
  --bundler-port <n>   bundler port (default: a free port)
  --hardfork <name>    prague | osaka (default: prague)
  --manifest <path>    where to write the manifest (default: .seed/devnet.json)
  -h, --help           show this help`

export const portOption = (v: string | boolean | undefined) => (typeof v === 'string' ? Number(v) : undefined)
