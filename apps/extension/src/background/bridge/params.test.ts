/** The bridge's capabilities refuse malformed params with -32602 before reading any chain or account. */
import { beforeEach, describe, expect, test } from 'vitest'
import { useMemoryExtension } from '../../test-support/memory-extension.ts'
import { invokeCapability } from '../agent/dispatch.ts'

const script = { kind: 'script', scriptId: 'bridge-params' } as const

beforeEach(() => {
  useMemoryExtension()
})

describe('bridge.* params', () => {
  test.each([
    ['bridge.deposit', { asset: 'btc', amount: '1' }, /asset/],
    ['bridge.deposit', { asset: 'usd', amount: '1.0000001' }, /6 decimals/],
    ['bridge.withdraw', { asset: 'eth', amount: '' }, /decimal/],
    ['bridge.withdraw', ['eth', '1'], /params must be an object/],
    ['bridge.prove', { withdrawalHash: '0x12' }, /withdrawalHash/],
    ['bridge.finalize', {}, /withdrawalHash/],
  ] as const)('%s %j is -32602', async (method, params, message) => {
    const refused = invokeCapability(script, method, params)
    await expect(refused).rejects.toMatchObject({ code: -32602 })
    await expect(refused).rejects.toThrow(message)
  })
})
