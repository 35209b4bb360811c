/**
 * The globals a Seed console script sees (the capability API, log, sleep, trigger), for editors and
 * for the examples' type check (apps/extension/src/console/examples.test.ts). A script is the body
 * of an async function: top-level await and return work.
 */
import type { ScriptGlobals } from '../apps/extension/src/console/script-api.ts'

declare global {
  const wallet: ScriptGlobals['wallet']
  const rollup: ScriptGlobals['rollup']
  const x402: ScriptGlobals['x402']
  const policy: ScriptGlobals['policy']
  const activity: ScriptGlobals['activity']
  const bridge: ScriptGlobals['bridge']
  const events: ScriptGlobals['events']
  const log: ScriptGlobals['log']
  const sleep: ScriptGlobals['sleep']
  const trigger: ScriptGlobals['trigger']
  const console: {
    log: ScriptGlobals['log']
    info: ScriptGlobals['log']
    warn: ScriptGlobals['log']
    error: ScriptGlobals['log']
  }
}
