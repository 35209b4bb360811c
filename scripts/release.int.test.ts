/**
 * `pnpm release` as a user meets it: the tarballs install with npm into an empty folder (no
 * workspace, no TypeScript loader) and every CLI in them runs; the extension zip is a store upload.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { inflateRawSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'

const root = join(import.meta.dirname, '..')
const work = mkdtempSync(join(process.env.SEED_TEST_TMP ?? tmpdir(), 'seed-release-'))
const out = join(work, 'release')
const app = join(work, 'app')
let node: ChildProcess | undefined

function run(command: string, args: string[], cwd: string) {
  // A user's shell, not pnpm's: pnpm's npm_config_* settings would make npm warn about them.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')))
  const res = spawnSync(command, args, { cwd, encoding: 'utf8', env })
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${res.status}:\n${res.stderr}`)
  return res.stdout
}

/** A zip's entries by name: the end record → the central directory → each local header. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const entries = new Map<string, Buffer>()
  let at = zip.readUInt32LE(end + 16)
  for (let i = zip.readUInt16LE(end + 10); i > 0; i--) {
    const method = zip.readUInt16LE(at + 10)
    const size = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    const local = zip.readUInt32LE(at + 42)
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const data = zip.subarray(start, start + size)
    entries.set(name, method === 8 ? inflateRawSync(data) : data)
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
  }
  return entries
}

const cli = (name: string, args: string[]) => run(join(app, 'node_modules/.bin', name), args, app)

beforeAll(() => {
  run(process.execPath, ['--import', 'tsx', join(root, 'scripts/release.ts'), '--out', out], root)
  mkdirSync(app)
  // npm 11 runs a dependency's install script only when the project allows it (c-kzg compiles).
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'release-check', allowScripts: { 'c-kzg': true } }))
  const tarballs = readdirSync(out)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(out, f))
  run('npm', ['install', '--no-audit', '--no-fund', ...tarballs], app)
}, 600_000)

afterAll(async () => {
  if (node && node.exitCode === null) {
    const exited = new Promise((resolve) => node?.once('exit', resolve))
    node.kill()
    await exited
  }
  await rm(work, { recursive: true, force: true }) // an npm install: tens of thousands of files
}, 180_000)

describe('pnpm release', () => {
  test('the packed packages carry built JS and type declarations, not TypeScript sources', () => {
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules/@seed/rollup-lite/package.json'), 'utf8'))
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' })
    expect(pkg.bin).toEqual({ 'rollup-lite': './dist/node/cli.js' })
    const files = readdirSync(join(app, 'node_modules/@seed/rollup-lite'), { recursive: true }) as string[]
    expect(files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false)
    expect(files).toContain(join('dist', 'create-node.d.ts'))
  })

  test('rollup-lite runs from the installed tarball: help, genesis, a node answering JSON-RPC, verify', async () => {
    expect(cli('rollup-lite', ['--help'])).toContain('Usage: rollup-lite <command>')
    expect(cli('rollup-lite', ['verify', '--help'])).toContain('Usage: rollup-lite verify')
    writeFileSync(join(app, 'genesis.json'), cli('rollup-lite', ['genesis', '--chain-id', '4242']))

    node = spawn(
      join(app, 'node_modules/.bin/rollup-lite'),
      ['node', '--data-dir', join(app, 'chain'), '--genesis', join(app, 'genesis.json'), '--port', '0'],
      { cwd: app, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const lines = createInterface({ input: node.stdout as NodeJS.ReadableStream })
    let url: string | undefined
    for await (const line of lines) {
      const event = JSON.parse(line)
      if (event.event === 'listening') {
        url = event.url
        break
      }
    }
    const res = await fetch(url as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    })
    expect(await res.json()).toMatchObject({ result: '0x1092' })
  })

  test('seed-agent runs from the installed tarball: --help of every command', () => {
    expect(cli('seed-agent', ['--help'])).toContain('Usage: seed-agent <command>')
    for (const command of ['pair', 'run', 'mcp', 'status']) {
      expect(cli('seed-agent', [command, '--help'])).toContain(`seed-agent ${command}`)
    }
  })

  test('the extension zip is a store upload: manifest.json at its root, no local devnet baked in', () => {
    const zips = readdirSync(out).filter((f) => f.endsWith('-chrome.zip'))
    expect(zips).toEqual([expect.stringMatching(/^seed-extension-\d+\.\d+\.\d+-chrome\.zip$/)])
    const entries = unzip(readFileSync(join(out, zips[0] as string)))
    const manifest = JSON.parse((entries.get('manifest.json') as Buffer).toString('utf8'))
    expect(manifest).toMatchObject({
      manifest_version: 3,
      name: 'Seed',
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    })
    expect(entries.get(manifest.background.service_worker)).toBeDefined()
    // This run's devnet is up, yet the store build must not point at it (nor at any local stack).
    const devnetRpc = inject('manifest').l1.rpcUrl
    const leaked = [...entries].filter(([, bytes]) => bytes.includes(Buffer.from(devnetRpc)))
    expect(leaked.map(([name]) => name)).toEqual([])
  })
})
