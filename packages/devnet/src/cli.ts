#!/usr/bin/env -S npx tsx
/** seed-devnet: start the local stack. `pnpm dev` runs `seed-devnet dev`. */
import { parseArgs } from 'node:util'
import { manifestPath } from './manifest.ts'
import { startStack } from './stack.ts'
import { printStatus } from './status.ts'

const HELP = `seed-devnet — the Seed local stack (L1 devnet with blobs, contracts, bundler)

Usage:
  seed-devnet dev [options]     start the stack, print a status table, run until Ctrl-C
  seed-devnet --help

Options:
  --anvil-port <n>     L1 RPC port (default: a free port)
  --bundler-port <n>   bundler port (default: a free port)
  --hardfork <name>    prague | osaka (default: prague)
  --manifest <path>    where to write the manifest (default: .seed/devnet.json)
  -h, --help           show this help
`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'anvil-port': { type: 'string' },
    'bundler-port': { type: 'string' },
    hardfork: { type: 'string' },
    manifest: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})

const command = positionals[0]
if (values.help || command !== 'dev') {
  process.stdout.write(HELP)
  process.exit(values.help ? 0 : 1)
}

const port = (v: string | undefined) => (v === undefined ? undefined : Number(v))
const hardfork = values.hardfork ?? 'prague'
if (hardfork !== 'prague' && hardfork !== 'osaka') {
  console.error(`unknown hardfork ${hardfork}: use prague or osaka`)
  process.exit(1)
}

const started = performance.now()
console.error('Starting the Seed local stack…')
try {
  const stack = await startStack({
    anvilPort: port(values['anvil-port']),
    bundlerPort: port(values['bundler-port']),
    hardfork,
    manifestPath: values.manifest ?? manifestPath(),
    onStep: (step, ms) => console.error(`  ✓ ${step} (${ms} ms)`),
  })
  printStatus(stack.manifest, values.manifest ?? manifestPath(), Math.round(performance.now() - started))
  const shutdown = async () => {
    console.error('\nStopping…')
    await stack.stop()
    process.exit(0)
  }
  process.removeAllListeners('SIGINT')
  process.removeAllListeners('SIGTERM')
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
  setInterval(() => {}, 1 << 30) // keep running until Ctrl-C
} catch (error) {
  console.error(`\n✗ ${(error as Error).message}`)
  process.exit(1)
}
