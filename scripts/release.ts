/**
 * `pnpm release`: what a user installs, built from this checkout into one folder:
 * - the store-ready extension zip (`wxt zip`), built without a local devnet baked in;
 * - npm tarballs of the Node packages a user runs (the rollup node and verifier CLI, and the
 *   workspace packages they import), with built JS and type declarations instead of TypeScript
 *   sources: the rollup node and verifier CLI, the agent client with its MCP server and CLI. Each package's `publishConfig` points its exports and bins at `dist/`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const HELP = `Usage: pnpm release [--out <dir>]

Builds into <dir> (default: release/, emptied first):
  seed-extension-<version>-chrome.zip   the extension, ready for the Chrome Web Store
  seed-<package>-<version>.tgz          npm tarballs with built JS and .d.ts: the rollup node
                                        and verifier CLI (rollup-lite), the agent client, MCP
                                        server and CLI (agent), and what they import

Install the tarballs with npm in any folder:
  npm install <dir>/*.tgz
With npm 11, first allow c-kzg's install script (it compiles the native KZG binding the verifier
and batcher use): "allowScripts": { "c-kzg": true } in that folder's package.json.

Options:
  --out <dir>   Output folder (default: release)
  -h, --help    Show this help`

/** The packages a user installs; the workspace packages they depend on are packed with them. */
const RELEASED = ['@seed/rollup-lite', '@seed/agent']

const root = join(import.meta.dirname, '..')

type Workspace = { name: string; dir: string; version: string; workspaceDeps: string[] }

function readWorkspaces(): Map<string, Workspace> {
  const dirs = ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group)).map((name) => join(root, group, name)),
  )
  const workspaces = new Map<string, Workspace>()
  for (const dir of dirs) {
    if (!existsSync(join(dir, 'package.json'))) continue
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const workspaceDeps = Object.entries({ ...pkg.dependencies } as Record<string, string>)
      .filter(([, spec]) => spec.startsWith('workspace:'))
      .map(([name]) => name)
    workspaces.set(pkg.name, { name: pkg.name, dir, version: pkg.version, workspaceDeps })
  }
  return workspaces
}

/** The released packages and every workspace package they depend on, dependencies first. */
function releaseOrder(workspaces: Map<string, Workspace>): Workspace[] {
  const ordered: Workspace[] = []
  const visit = (name: string) => {
    const ws = workspaces.get(name)
    if (!ws) throw new Error(`release: no workspace package ${name}`)
    if (ordered.includes(ws)) return
    for (const dep of ws.workspaceDeps) visit(dep)
    ordered.push(ws)
  }
  for (const name of RELEASED) visit(name)
  return ordered
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const res = spawnSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  if (res.status !== 0) {
    process.stderr.write(res.stdout)
    process.stderr.write(res.stderr)
    throw new Error(`release: \`${command} ${args.join(' ')}\` failed in ${relative(root, cwd) || '.'}`)
  }
}

function packPackage(ws: Workspace, out: string): string {
  if (!existsSync(join(ws.dir, 'tsconfig.build.json'))) {
    throw new Error(`release: ${ws.name} has no tsconfig.build.json (its built JS and .d.ts)`)
  }
  rmSync(join(ws.dir, 'dist'), { recursive: true, force: true })
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], ws.dir)
  run('pnpm', ['pack', '--pack-destination', out], ws.dir)
  return join(out, `${ws.name.replace('@', '').replace('/', '-')}-${ws.version}.tgz`)
}

/** The extension for the store: no devnet manifest baked in (a user picks a network at runtime). */
function zipExtension(out: string): string {
  const buildDir = join(out, '.extension-build')
  const extensionDir = join(root, 'apps/extension')
  run('pnpm', ['exec', 'wxt', 'zip'], extensionDir, {
    SEED_MANIFEST: join(buildDir, 'no-devnet.json'),
    SEED_EXT_OUT_DIR: buildDir,
    SEED_DEV_ROLLUP_ACCOUNTS: '',
  })
  const zip = readdirSync(buildDir).find((name) => name.endsWith('-chrome.zip'))
  if (!zip) throw new Error('release: wxt zip wrote no chrome zip')
  const { version } = JSON.parse(readFileSync(join(extensionDir, 'package.json'), 'utf8'))
  const target = join(out, `seed-extension-${version}-chrome.zip`)
  renameSync(join(buildDir, zip), target)
  rmSync(buildDir, { recursive: true, force: true })
  return target
}

function main() {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: 'release' }, help: { type: 'boolean', short: 'h' } },
  })
  if (values.help) {
    console.log(HELP)
    return
  }
  const out = resolve(root, values.out)
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })

  const artifacts: string[] = []
  for (const ws of releaseOrder(readWorkspaces())) {
    console.error(`packing ${ws.name}…`)
    artifacts.push(packPackage(ws, out))
  }
  console.error('zipping the extension…')
  artifacts.push(zipExtension(out))

  for (const file of artifacts) {
    console.log(`${relative(process.cwd(), file)}  ${(statSync(file).size / 1024).toFixed(0)} KB`)
  }
}

main()
