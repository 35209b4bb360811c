/**
 * `pnpm dev`: the product's main job. Brings the whole local stack up (see packages/devnet),
 * serves the web app, builds the extension against the stack, prints a status table and runs
 * until Ctrl-C, stopping every child process.
 */
import { spawnSync } from 'node:child_process'
import { STACK_OPTIONS_HELP } from '@seed/devnet/options'

const HELP = `pnpm dev — run the Seed local stack and web app, and build the extension

Usage: pnpm dev [options]   (pnpm dev -- [options] works too)

Options:
  --web-port <n>       web app port (default: a free port)
${STACK_OPTIONS_HELP}
`
// pnpm passes a `--` through; it separates nothing here.
const args = process.argv.slice(2).filter((arg) => arg !== '--')
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(HELP)
  process.exit(0)
}
// The stack imports the contracts' generated ABIs: bring them up to date before loading it.
const built = spawnSync('pnpm', ['--silent', '--filter', '@seed/contracts', 'build'], { stdio: 'inherit' })
if (built.status !== 0) process.exit(built.status ?? 1)

const { portOption, runStack } = await import('@seed/devnet')
const { startWebApp } = await import('@seed/web/server')
const { buildForDevnet } = await import('../apps/extension/scripts/build.ts')

await runStack({
  help: HELP,
  args,
  options: { 'web-port': { type: 'string' } },
  async extend(stack, values, path) {
    const t = performance.now()
    const web = await startWebApp(stack.manifest, { port: portOption(values['web-port']) })
    console.error(`  ✓ web app (${Math.round(performance.now() - t)} ms)`)
    stack.manifest.services.web = web.url
    // The extension bakes the manifest in at build time: build it against this stack.
    return { stop: () => web.close(), rows: await buildForDevnet(path) }
  },
})
