import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { expect, test } from 'vitest'
import { batcherKeyOf, guardianKeyOf, rollupAccountKeyOf } from './derived-keys.ts'

test('each derived key is the same for one vault, distinct from the owner key, from each other, and per vault', () => {
  const owner = generatePrivateKey()
  const batcher = batcherKeyOf(owner)
  const rollup = rollupAccountKeyOf(owner)
  const guardian = guardianKeyOf(owner)
  expect(batcherKeyOf(owner)).toBe(batcher) // re-import of the vault → same batcher → same inbox
  expect(rollupAccountKeyOf(owner)).toBe(rollup) // … and the same rollup account
  expect(guardianKeyOf(owner)).toBe(guardian) // … and the same guardian of its bridge
  for (const derived of [batcher, rollup, guardian]) {
    expect(derived).not.toBe(owner)
    expect(privateKeyToAddress(derived)).not.toBe(privateKeyToAddress(owner))
  }
  expect(new Set([batcher, rollup, guardian]).size).toBe(3)
  expect(batcherKeyOf(generatePrivateKey())).not.toBe(batcher)
  expect(rollupAccountKeyOf(generatePrivateKey())).not.toBe(rollup)
  expect(guardianKeyOf(generatePrivateKey())).not.toBe(guardian)
})
