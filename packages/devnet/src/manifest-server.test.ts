import { afterEach, expect, test } from 'vitest'
import type { Manifest } from './manifest.ts'
import { type ManifestServer, startManifestServer } from './manifest-server.ts'

const manifest = {
  version: 1,
  l1: { chainId: 31337, rpcUrl: 'http://127.0.0.1:1' },
  services: { ipfsHttp: 'http://127.0.0.1:2' },
  operator: { facilitatorAdminToken: 'secret-token-never-served' },
} as unknown as Manifest

let server: ManifestServer | undefined
afterEach(() => server?.close())

test('serves the manifest without the operator credentials, read-only, to any origin', async () => {
  let current: Manifest | undefined
  server = await startManifestServer(() => current, 0)
  expect((await fetch(server.url)).status).toBe(503) // still starting
  current = manifest
  const answer = await fetch(server.url)
  expect(answer.headers.get('access-control-allow-origin')).toBe('*')
  const text = await answer.text()
  expect(text).not.toContain('secret-token-never-served')
  expect(JSON.parse(text)).toEqual({ version: 1, l1: manifest.l1, services: manifest.services })
  expect((await fetch(server.url, { method: 'POST', body: '{}' })).status).toBe(404)
  expect((await fetch(server.url.replace('manifest.json', 'devnet.json'))).status).toBe(404)
})
