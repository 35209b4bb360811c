/**
 * The networks screen against the real devnet: the connection check of each field (and why a field
 * fails), and the devnet preset read from the manifest the running stack serves.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { freePort } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import { beforeEach, expect, inject, test } from 'vitest'
import { listNetworks } from '../../core/config.ts'
import type { NetworkSettings } from '../../core/records.ts'
import { useMemoryExtension } from '../../test-support/memory-extension.ts'
import { checkNetwork } from './checks.ts'
import { refreshDevnet } from './registry.ts'

const manifest = inject('manifest')

const devnet = (): NetworkSettings => ({
  id: 'devnet',
  name: 'Local devnet',
  preset: 'devnet',
  l1: { chainId: manifest.l1.chainId, rpcUrl: manifest.l1.rpcUrl },
  bundlerUrl: manifest.bundler.url,
  beaconUrl: manifest.l1.beaconUrl,
  ipfsUrl: manifest.services.ipfsHttp!,
  ipfsPeer: manifest.services.ipfs!,
  facilitatorUrl: manifest.services.facilitator!,
})

const verdicts = (checks: Awaited<ReturnType<typeof checkNetwork>>) =>
  Object.fromEntries(checks.map((c) => [c.field, c.ok ? 'ok' : c.code]))

beforeEach(() => {
  useMemoryExtension()
})

test('every service of the running devnet passes its check', async () => {
  const checks = await checkNetwork(devnet())
  expect(verdicts(checks)).toEqual({ l1: 'ok', bundler: 'ok', beacon: 'ok', ipfs: 'ok', facilitator: 'ok' })
  expect(checks.find((c) => c.field === 'bundler')?.detail).toBe('EntryPoint v0.7')
})

test('each failing field says why: wrong chain, not a bundler, not a beacon API, nothing listening', async () => {
  const closed = `http://127.0.0.1:${await freePort()}`
  const checks = await checkNetwork({
    ...devnet(),
    l1: { chainId: 1, rpcUrl: manifest.l1.rpcUrl },
    bundlerUrl: manifest.l1.rpcUrl, // anvil: no eth_supportedEntryPoints
    beaconUrl: manifest.services.facilitator!,
    ipfsUrl: closed,
    facilitatorUrl: '',
  })
  expect(verdicts(checks)).toEqual({
    l1: 'chainMismatch',
    bundler: 'chainMismatch',
    beacon: 'badAnswer',
    ipfs: 'unreachable',
    facilitator: 'missing',
  })
  expect(checks[0]!.detail).toBe(`The L1 RPC is on chain ${manifest.l1.chainId}, not 1.`)
  const anvilAsBundler = await checkNetwork({ ...devnet(), bundlerUrl: manifest.l1.rpcUrl })
  expect(anvilAsBundler.find((c) => c.field === 'bundler')).toMatchObject({ ok: false, code: 'badAnswer' })
})

test('a service that never answers is cut off by its own deadline, the others still report', async () => {
  const silent = createServer(() => {}) // accepts, never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
  try {
    const checks = await checkNetwork({ ...devnet(), ipfsUrl: url })
    expect(verdicts(checks)).toMatchObject({ l1: 'ok', ipfs: 'unreachable' })
    expect(checks.find((c) => c.field === 'ipfs')?.detail).toMatch(/No answer from .* within 5 s/)
  } finally {
    silent.closeAllConnections()
    silent.close()
  }
})

test('the devnet preset is read from the manifest the running stack serves', async () => {
  await refreshDevnet(manifest.services.manifest!)
  const [read] = await listNetworks()
  expect(read).toMatchObject({ ...devnet(), manifestUrl: manifest.services.manifest, contracts: manifest.contracts })
  await expect(refreshDevnet(`http://127.0.0.1:${await freePort()}/manifest.json`)).rejects.toMatchObject({
    code: -32602,
    message: expect.stringMatching(/No devnet manifest at .*is `pnpm dev` running\?/),
  })
})
