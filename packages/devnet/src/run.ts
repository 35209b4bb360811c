/**
 * Runs the stack as a foreground program: parses the stack's options, starts it with progress
 * lines, lets the caller add parts (web app, extension build), prints the status table and runs
 * until Ctrl-C, then stops everything. Shared by `seed-devnet up` and `pnpm dev`.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { manifestPath, writeManifest } from './manifest.ts'
import { DEFAULT_L1_BLOCK_TIME, portOption } from './options.ts'
import { type Stack, startStack } from './stack.ts'
import { printStatus } from './status.ts'

type Values = Record<string, string | boolean | undefined>

export type RunStackOptions = {
  help: string
  args?: string[]
  /** Options beyond the stack's own. */
  options?: ParseArgsConfig['options']
  /** Positional command the program requires (e.g. `up`), if any. */
  command?: string
  /** Adds parts once the stack is up: `stop` stops them, `rows` go under the status table's services. */
  extend?: (
    stack: Stack,
    values: Values,
    path: string,
  ) => Promise<{ stop?: () => Promise<void>; rows?: [string, string][] } | undefined>
}

export async function runStack(o: RunStackOptions): Promise<void> {
  const { values, positionals } = parseArgs({
    // pnpm passes a `--` through (`pnpm dev -- --help`): it separates nothing here.
    args: (o.args ?? process.argv.slice(2)).filter((arg) => arg !== '--'),
    allowPositionals: true,
    options: {
      'anvil-port': { type: 'string' },
      'bundler-port': { type: 'string' },
      hardfork: { type: 'string' },
      'l1-block-time': { type: 'string' },
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
  const l1BlockTime = Number(values['l1-block-time'] ?? DEFAULT_L1_BLOCK_TIME)
  if (!Number.isInteger(l1BlockTime) || l1BlockTime < 0) {
    console.error(`--l1-block-time must be a whole number of seconds ≥ 0, not ${values['l1-block-time']}`)
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
      l1BlockTime: l1BlockTime || undefined,
      manifestPath: path,
      onStep: (step, ms) => console.error(`  ✓ ${step} (${ms} ms)`),
    })
    const extras = await o.extend?.(stack, values, path)
    writeManifest(stack.manifest, path)
    printStatus(stack.manifest, path, Math.round(performance.now() - started), extras?.rows)
    let stopping = false
    const shutdown = async () => {
      // Ctrl-C reaches this process twice (from the terminal, and relayed by tsx): stop once.
      if (stopping) return
      stopping = true
      console.error('\nStopping…')
      await extras?.stop?.()
      await stack.stop()
      // Nothing answers at the manifest's URLs any more: say so to whoever reads it.
      writeManifest({ ...stack.manifest, stoppedAt: new Date().toISOString() }, path)
      console.error('Stopped.')
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
