/**
 * `pnpm dev`: the product's main job. Brings the whole local stack up (see packages/devnet),
 * serves the web app, builds the extension against the stack, prints a status table and runs
 * until Ctrl-C, stopping every child process.
 */
import { portOption, runStack, STACK_OPTIONS_HELP } from '@seed/devnet'
import { startWebApp } from '@seed/web/server'
import { buildForDevnet } from '../apps/extension/scripts/build.ts'

await runStack({
  help: `pnpm dev — run the Seed local stack and web app, and build the extension

Options (after --, e.g. pnpm dev -- --web-port 5173):
  --web-port <n>       web app port (default: a free port)
${STACK_OPTIONS_HELP}
`,
  options: { 'web-port': { type: 'string' } },
  async extend(stack, values, path) {
    const t = performance.now()
    const web = await startWebApp(stack.manifest, { port: portOption(values['web-port']) })
    console.error(`  ✓ web app (${Math.round(performance.now() - t)} ms)`)
    stack.manifest.services.web = web.url
    // The extension bakes the manifest in at build time: build it against this stack.
    Object.assign(stack.manifest.services, Object.fromEntries(await buildForDevnet(path)))
    return () => web.close()
  },
})
