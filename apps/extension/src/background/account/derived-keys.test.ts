import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { expect, test } from 'vitest'
import { batcherKeyOf, rollupAccountKeyOf } from './derived-keys.ts'

test('each derived key is the same for one vault, distinct from the owner key, from each other, and per vault', () => {
  const owner = generatePrivateKey()
  const batcher = batcherKeyOf(owner)
  const rollup = rollupAccountKeyOf(owner)
  expect(batcherKeyOf(owner)).toBe(batcher) // re-import of the vault → same batcher → same inbox
  expect(rollupAccountKeyOf(owner)).toBe(rollup) // … and the same rollup account
  for (const derived of [batcher, rollup]) {
    expect(derived).not.toBe(owner)
    expect(privateKeyToAddress(derived)).not.toBe(privateKeyToAddress(owner))
  }
  expect(rollup).not.toBe(batcher)
  expect(batcherKeyOf(generatePrivateKey())).not.toBe(batcher)
  expect(rollupAccountKeyOf(generatePrivateKey())).not.toBe(rollup)
})
