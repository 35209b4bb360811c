import { createServer } from 'node:net'
import { afterAll, expect, test } from 'vitest'
import { startAnvil } from './anvil.ts'
import { assertPortFree, DevnetError, freePort } from './ports.ts'

const busy = createServer()
await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()))
const busyPort = (busy.address() as { port: number }).port
afterAll(() => new Promise<void>((r) => busy.close(() => r())))

test('freePort returns distinct bindable ports', async () => {
  const [a, b] = await Promise.all([freePort(), freePort()])
  expect(a).toBeGreaterThan(0)
  await expect(assertPortFree(a, 'x')).resolves.toBeUndefined()
  expect(b).toBeGreaterThan(0)
})

test('a busy port fails start-up with a clear, typed message', async () => {
  await expect(assertPortFree(busyPort, 'anvil')).rejects.toThrow(DevnetError)
  await expect(startAnvil({ port: busyPort })).rejects.toThrow(`anvil: port ${busyPort} is busy`)
})
