import { createTxFromRLP } from '@ethereumjs/tx'
import { bytesToHex, type Hex, hexToBytes, parseGwei } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { loadCrypto } from './crypto.ts'
import { typedSigningPayload } from './signing-payload.ts'
import { createRollupCommon, createSharedTxCommon } from './spec.ts'

const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
const to: Hex = '0x00000000000000000000000000000000000d0d0d'

describe('typedSigningPayload', async () => {
  const crypto = await loadCrypto()
  const common = createSharedTxCommon(createRollupCommon(31338n, crypto))
  const signed: Record<string, Hex> = {
    eip2930: await account.signTransaction({
      type: 'eip2930',
      chainId: 31338,
      to,
      nonce: 3,
      gas: 50_000n,
      gasPrice: parseGwei('2'),
      accessList: [{ address: to, storageKeys: [`0x${'11'.repeat(32)}`] }],
    }),
    eip1559: await account.signTransaction({
      type: 'eip1559',
      chainId: 31338,
      to,
      value: 10n ** 18n,
      data: `0x${'ab'.repeat(300)}`, // a long string and a long list header
      nonce: 0,
      gas: 100_000n,
      maxFeePerGas: parseGwei('100'),
      maxPriorityFeePerGas: 1n,
    }),
    eip1559Create: await account.signTransaction({
      type: 'eip1559',
      chainId: 31338,
      data: '0x6000',
      nonce: 70_000,
      gas: 100_000n,
      maxFeePerGas: 7n,
      maxPriorityFeePerGas: 0n,
    }),
    eip7702: await account.signTransaction({
      type: 'eip7702',
      chainId: 31338,
      to,
      nonce: 1,
      gas: 100_000n,
      maxFeePerGas: parseGwei('100'),
      maxPriorityFeePerGas: 1n,
      authorizationList: [await account.signAuthorization({ chainId: 31338, address: to, nonce: 2 })],
    }),
  }

  for (const [name, raw] of Object.entries(signed)) {
    it(`is ethereumjs' signing payload for ${name}`, () => {
      const tx = createTxFromRLP(hexToBytes(raw), { common })
      expect(bytesToHex(typedSigningPayload(hexToBytes(raw)) as Uint8Array)).toBe(
        bytesToHex(tx.getMessageToSign() as Uint8Array),
      )
    })
  }

  it('leaves legacy txs and malformed bytes to ethereumjs', async () => {
    const legacy = await account.signTransaction({
      type: 'legacy',
      chainId: 31338,
      to,
      nonce: 0,
      gas: 21_000n,
      gasPrice: 1n,
    })
    expect(typedSigningPayload(hexToBytes(legacy))).toBeUndefined()
    expect(typedSigningPayload(new Uint8Array())).toBeUndefined()
    expect(typedSigningPayload(Uint8Array.of(2))).toBeUndefined()
    expect(typedSigningPayload(Uint8Array.of(2, 0xc2, 0x01, 0x02))).toBeUndefined() // two items: no signature
    expect(typedSigningPayload(Uint8Array.of(2, 0xc3, 0x01, 0x02, 0xb8))).toBeUndefined() // item overruns the end
  })
})
