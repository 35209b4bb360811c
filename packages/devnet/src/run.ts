/**
 * Runs the stack as a foreground program: parses the stack's options, starts it with progress
 * lines, lets the caller add parts (web app, extension build), prints the status table and runs
 * until Ctrl-C, then stops everything. Shared by `seed-devnet up` and `pnpm dev`.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { manifestPath, writeManifest } from './manifest.ts'
import { type Stack, startStack } from './stack.ts'
import { printStatus } from './status.ts'

export const STACK_OPTIONS_HELP = `  --anvil-port <n>     L1 RPC port (default: a free port)
  --bundler-port <n>   bundler port (default: a free port)
  --hardfork <name>    prague | osaka (default: prague)
  --manifest <path>    where to write the manifest (default: .seed/devnet.json)
  -h, --help           show this help`

type Values = Record<string, string | boolean | undefined>

export type RunStackOptions = {
  help: string
  args?: string[]
  /** Options beyond the stack's own. */
  options?: ParseArgsConfig['options']
  /** Positional command the program requires (e.g. `up`), if any. */
  command?: string
  /** Adds parts once the stack is up; the returned function stops them. */
  extend?: (stack: Stack, values: Values, path: string) => Promise<(() => Promise<void>) | undefined>
}

export const portOption = (v: string | boolean | undefined) => (typeof v === 'string' ? Number(v) : undefined)

export async function runStack(o: RunStackOptions): Promise<void> {
  const { values, positionals } = parseArgs({
    args: o.args ?? process.argv.slice(2),
    allowPositionals: true,
    options: {
      'anvil-port': { type: 'string' },
      'bundler-port': { type: 'string' },
      hardfork: { type: 'string' },
      manifest: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...o.options,
    },
  })
  if (values.help || (o.command && positionals[0] !== o.command)) {
    process.stdout.write(o.help)
    process.exit(values.help ? 0 : 1)
  }
  const hardfork = (values.hardfork as string | undefined) ?? 'prague'
  if (hardfork !== 'prague' && hardfork !== 'osaka') {
    console.error(`unknown hardfork ${hardfork}: use prague or osaka`)
    process.exit(1)
  }
  const path = (values.manifest as string | undefined) ?? manifestPath()
  const started = performance.now()
  console.error('Starting the Seed local stack…')
  try {
    const stack = await startStack({
      anvilPort: portOption(values['anvil-port']),
      bundlerPort: portOption(values['bundler-port']),
      hardfork,
      manifestPath: path,
      onStep: (step, ms) => console.error(`  ✓ ${step} (${ms} ms)`),
    })
    const stopExtras = await o.extend?.(stack, values, path)
    writeManifest(stack.manifest, path)
    printStatus(stack.manifest, path, Math.round(performance.now() - started))
    const shutdown = async () => {
      console.error('\nStopping…')
      await stopExtras?.()
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
}
