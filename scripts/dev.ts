/**
 * `pnpm dev`: the product's main job. Brings the whole local stack up (L1 devnet with blobs,
 * contracts, bundler, and what later parts add), serves the web app, prints a status table and
 * runs until Ctrl-C, stopping every child process.
 */
import { parseArgs } from 'node:util'
import { manifestPath, printStatus, startStack, writeManifest } from '@seed/devnet'
import { startWebApp } from '@seed/web/server'
import { buildForDevnet } from '../apps/extension/scripts/build.ts'

const HELP = `pnpm dev — run the Seed local stack and web app

Options (after --, e.g. pnpm dev -- --web-port 5173):
  --anvil-port <n>     L1 RPC port (default: a free port)
  --bundler-port <n>   bundler port (default: a free port)
  --web-port <n>       web app port (default: a free port)
  --hardfork <name>    prague | osaka (default: prague)
  -h, --help           show this help
`

const { values } = parseArgs({
  allowPositionals: true,
  options: {
    'anvil-port': { type: 'string' },
    'bundler-port': { type: 'string' },
    'web-port': { type: 'string' },
    hardfork: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help) {
  process.stdout.write(HELP)
  process.exit(0)
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
    onStep: (step, ms) => console.error(`  ✓ ${step} (${ms} ms)`),
  })
  const t = performance.now()
  const web = await startWebApp(stack.manifest, { port: port(values['web-port']) })
  console.error(`  ✓ web app (${Math.round(performance.now() - t)} ms)`)
  stack.manifest.services.web = web.url
  const path = writeManifest(stack.manifest, manifestPath())
  // Issue 6: build the wallet extension against this stack; the status table shows its folder and how to load it.
  Object.assign(stack.manifest.services, Object.fromEntries(await buildForDevnet(path)))

  printStatus(stack.manifest, path, Math.round(performance.now() - started))
  const shutdown = async () => {
    console.error('\nStopping…')
    await web.close()
    await stack.stop()
    process.exit(0)
  }
  process.removeAllListeners('SIGINT')
  process.removeAllListeners('SIGTERM')
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
} catch (error) {
  console.error(`\n✗ ${(error as Error).message}`)
  process.exit(1)
}
