import type { Manifest } from '@seed/devnet'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startWebApp } from '../server.ts'

const manifest = {
  version: 1,
  l1: { chainId: 31337, rpcUrl: 'http://127.0.0.1:1' },
  operator: { ipfsPinKey: '0xsecret' },
  services: {},
} as unknown as Manifest

let web: Awaited<ReturnType<typeof startWebApp>>
beforeAll(async () => {
  web = await startWebApp(manifest)
}, 120_000)
afterAll(() => web?.close())

const get = (path: string) => fetch(new URL(path, web.url))

test('the manifest the page reads carries no operator credentials', async () => {
  const served = await (await get('/manifest.json')).json()
  expect(served.l1.chainId).toBe(31337)
  expect(served).not.toHaveProperty('operator')
})

test('app paths get index.html; a missing asset is a 404', async () => {
  const page = await get('/l1/block/abc')
  expect(page.headers.get('content-type')).toContain('text/html')
  expect(await page.text()).toContain('<div id="root">')
  expect((await get('/assets/nothing-here.js')).status).toBe(404)
})

test('a malformed escape is a 400 and the server keeps answering', async () => {
  expect((await get('/%E0%A4%A')).status).toBe(400)
  expect((await get('/manifest.json')).status).toBe(200)
})

test('nothing outside dist/ is served, however the path is spelled', async () => {
  for (const path of ['/..%2fserver.ts', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2fserver.ts']) {
    const res = await get(path)
    expect(await res.text()).not.toContain('startWebApp')
  }
})
