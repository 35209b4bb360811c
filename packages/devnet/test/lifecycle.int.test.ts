import { expect, test } from 'vitest'
import { startStack } from '../src/stack.ts'

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

test('a second stack starts on free ports beside the first and leaves no process behind', async () => {
  const stack = await startStack({ manifestPath: false })
  expect(stack.manifest.l1.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  const res = await fetch(stack.manifest.bundler.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_supportedEntryPoints', params: [] }),
  })
  expect(((await res.json()) as { result: string[] }).result).toContain(stack.manifest.contracts.entryPointV07)
  const pids = stack.services.map((s) => s.child.pid!)
  expect(pids.every(alive)).toBe(true)
  await stack.stop()
  expect(pids.some(alive)).toBe(false)
})
