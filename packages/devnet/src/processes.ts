/**
 * Child processes of the stack. Each starts in its own process group so that the group
 * (wrapper and real binary alike) is killed on stop, on exit, on Ctrl-C and on test teardown.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { DevnetError } from './ports.ts'

export type Service = {
  name: string
  child: ChildProcess
  /** Folders the service owns, removed once it has stopped. */
  tempDirs: string[]
  /** Last lines the process printed, for error messages. */
  tail(): string
  stop(): Promise<void>
}

const running = new Set<Service>()

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

let hooksInstalled = false
function installExitHooks() {
  if (hooksInstalled) return
  hooksInstalled = true
  process.on('exit', () => {
    for (const s of running) {
      killGroup(s.child, 'SIGKILL')
      removeTempDirs(s)
    }
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143)) // the exit hook cleans up
  }
}

const removeTempDirs = (service: Service) => {
  for (const dir of service.tempDirs) rmSync(dir, { recursive: true, force: true })
}

export function startService(
  name: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; tempDirs?: string[] } = {},
): Service {
  installExitHooks()
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
  })
  if (child.pid !== undefined) watchParent(child.pid)
  const lines: string[] = []
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean))
    if (lines.length > 200) lines.splice(0, lines.length - 200)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  child.on('error', (e) => lines.push(`spawn failed: ${e.message}`))
  const service: Service = {
    name,
    child,
    tempDirs: options.tempDirs ?? [],
    tail: () => lines.slice(-20).join('\n'),
    async stop() {
      running.delete(service)
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
        killGroup(child, 'SIGTERM')
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000)
        await exited
        clearTimeout(timer)
      }
      killGroup(child, 'SIGKILL') // grandchildren that ignored SIGTERM
      removeTempDirs(service)
    },
  }
  running.add(service)
  return service
}

/**
 * If this process dies without running its exit hooks (SIGKILL, OOM), a tiny shell watchdog
 * kills the child's group, so no anvil or bundler is left behind.
 */
function watchParent(childPgid: number) {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 -${childPgid} 2>/dev/null; do sleep 1; done; kill -9 -${childPgid} 2>/dev/null`
  spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref()
}

/** Polls `check` until it resolves true; fails early if the process dies. */
export async function waitHealthy(service: Service, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new DevnetError(
        `${service.name} exited during start-up (code ${service.child.exitCode}):\n${service.tail()}`,
      )
    }
    if (await check().catch(() => false)) return
    await new Promise((r) => setTimeout(r, 100))
  }
  await service.stop()
  throw new DevnetError(`${service.name} did not become healthy within ${timeoutMs} ms:\n${service.tail()}`)
}

/**
 * Waits for a service that announces itself with one JSON line starting `{"url"` on its output and
 * then answers `GET <url>/health`; resolves with that line, parsed.
 */
export async function waitAnnounced<T extends { url: string }>(service: Service, timeoutMs: number): Promise<T> {
  let announced: T | undefined
  await waitHealthy(
    service,
    async () => {
      const line = service
        .tail()
        .split('\n')
        .find((l) => l.startsWith('{"url"'))
      if (!line) return false
      announced = JSON.parse(line) as T
      return (await fetch(`${announced.url}/health`)).ok
    },
    timeoutMs,
  )
  return announced as T
}

/** JSON-RPC probe used by health checks. */
export async function rpcOk(url: string, method: string): Promise<boolean> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
  })
  const body = (await res.json()) as { result?: unknown }
  return res.ok && body.result !== undefined
}
