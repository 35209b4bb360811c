import { expect, test } from 'vitest'
import { decryptSecret, encryptSecret, type VaultEnvelope } from './envelope.ts'

/** Re-creates every object with its keys in reverse order, as some stores (chrome.storage) do. */
function reorderKeys<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reorderKeys(v)]),
  ) as T
}

test('an envelope still decrypts after a store re-orders its object keys', async () => {
  const meta = { kind: 'privateKey', address: '0x0000000000000000000000000000000000000001', createdAt: 'now' } as const
  const envelope = await encryptSecret('secret', 'a long password', meta)
  const stored = reorderKeys(JSON.parse(JSON.stringify(envelope)) as VaultEnvelope)
  expect(Object.keys(stored)[0]).not.toBe(Object.keys(envelope)[0])
  expect(await decryptSecret(stored, 'a long password')).toBe('secret')
})
