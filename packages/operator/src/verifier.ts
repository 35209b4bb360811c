/**
 * The verifier a verify bounty pays for: `rollup-lite verify --watch` as a child process (the same derivation
 * and output checks as every Seed verifier; it derives on threads of its own, away from the operator's HTTP
 * face). With the operator key as its validator key it answers the poster's `validationRequest`s for windows of
 * batches once it re-derived them (ERC-8004 `validationResponse`); with a challenger key it challenges an output
 * it cannot reproduce. Its verdicts (JSON lines on its stdout) give the output roots it computed, which the
 * operator signs in its probe answers. Keys go to the child through its environment, never its arguments. The
 * child exits when the operator does, however it died (below).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { type Address, type Hex, zeroHash } from 'viem'

export type VerifierOptions = {
  l1: string
  inbox: Address
  genesis: string
  /** The operator key: it answers validation requests naming it (it must own an ERC-8004 agent). */
  validatorKey: Hex
  challengerKey?: Hex
  beacon?: string
  ipfs?: string
  manifest?: string
  validationRegistry?: Address
  /** A bridged chain: follow the portal's deposits (`verify --deposits`). */
  deposits?: boolean
  pollMs?: number
  onEvent?: (event: Record<string, unknown>) => void
}

export type Verifier = {
  /** The output root this verifier derived for batch `index` as posted now; undefined until derived. */
  computed(index: bigint): Hex | undefined
  /** How many batches it has derived (as posted now). */
  derived(): number
  stop(): Promise<void>
}

const rollupLiteCli = () =>
  join(dirname(createRequire(import.meta.url).resolve('@seed/rollup-lite/package.json')), 'bin', 'rollup-lite.mjs')

export function startVerifier(o: VerifierOptions): Verifier {
  const args = ['verify', '--watch', '--l1', o.l1, '--inbox', o.inbox, '--genesis', o.genesis]
  if (o.beacon) args.push('--beacon', o.beacon)
  if (o.ipfs) args.push('--ipfs', o.ipfs)
  if (o.manifest) args.push('--manifest', o.manifest)
  if (o.validationRegistry) args.push('--validation-registry', o.validationRegistry)
  if (o.deposits) args.push('--deposits')
  args.push('--poll-ms', String(o.pollMs ?? 2_000))
  const env: NodeJS.ProcessEnv = { ...process.env, VALIDATOR_KEY: o.validatorKey }
  if (o.challengerKey) env.CHALLENGER_KEY = o.challengerKey
  else delete env.CHALLENGER_KEY
  // The IPC channel is the child's tie to this process: the kernel closes it when the operator dies, even by
  // SIGKILL, and `verify --watch` stops on its close (Node has no PDEATHSIG). Not stdin's EOF: a watcher run by
  // hand or as a service with stdin closed would stop at once. Nothing is sent over it.
  const child: ChildProcess = spawn(process.execPath, [rollupLiteCli(), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  child.channel?.unref() // the channel alone does not keep the operator up
  const emit = o.onEvent ?? (() => {})
  const roots = new Map<bigint, Hex>()
  let stopping = false
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) emit({ event: 'verifier-exited', code, signal })
      resolve()
    }),
  )
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let v: Record<string, string | undefined>
    try {
      v = JSON.parse(line)
    } catch {
      return
    }
    const index = v.index === undefined ? undefined : BigInt(v.index)
    if (v.verdict === 'ok' && index !== undefined) roots.set(index, v.outputRoot as Hex)
    else if (v.verdict === 'rolled-back' && index !== undefined) {
      for (const i of [...roots.keys()]) if (i >= index) roots.delete(i)
    } else if (index !== undefined && v.verdict !== 'unavailable') {
      // A mismatch: what this verifier derived, or (a batch whose blocks do not execute) no root at all.
      roots.set(index, (v.derived as Hex | undefined) ?? zeroHash)
    }
    emit({ event: 'verdict', ...v })
  })
  createInterface({ input: child.stderr! }).on('line', (line) => emit({ event: 'verifier-log', line }))
  return {
    computed: (index) => roots.get(index),
    derived: () => roots.size,
    async stop() {
      stopping = true
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
