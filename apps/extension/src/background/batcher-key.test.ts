import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { expect, test } from 'vitest'
import { batcherKeyOf } from './batcher-key.ts'

test('the batcher key is the same for one vault, distinct from the owner key, and distinct per vault', () => {
  const owner = generatePrivateKey()
  const batcher = batcherKeyOf(owner)
  expect(batcherKeyOf(owner)).toBe(batcher) // re-import of the vault → same batcher → same inbox
  expect(batcher).not.toBe(owner)
  expect(privateKeyToAddress(batcher)).not.toBe(privateKeyToAddress(owner))
  expect(batcherKeyOf(generatePrivateKey())).not.toBe(batcher)
})
