import { hashMessage, hashTypedData, size, slice } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, test } from 'vitest'
import { encodeUserOperationSignature, seedUserOperationTypedData } from './signatureTypedData.ts'

const account = '0x7e1B2d0418ce1CF438DA2B76e41C3C2D0Cef5193' as const
const entryPoint = '0x0000000071727De22E5E9d8BAf0edAc6f37da032' as const
const userOpHash = `0x${'ab'.repeat(32)}` as const

describe('SeedAccount signature typed data', () => {
  test('a user-op signature is validAfter ‖ validUntil ‖ ECDSA, 77 bytes', async () => {
    const signer = privateKeyToAccount(generatePrivateKey())
    const validity = { validAfter: 1_700_000_000, validUntil: 1_700_000_600 }
    const typedData = seedUserOperationTypedData({ account, chainId: 31337, entryPoint, userOpHash, validity })
    const ecdsa = await signer.signTypedData(typedData)
    const signature = encodeUserOperationSignature(validity, ecdsa)
    expect(size(signature)).toBe(77)
    expect(BigInt(slice(signature, 0, 6))).toBe(1_700_000_000n)
    expect(BigInt(slice(signature, 6, 12))).toBe(1_700_000_600n)
    expect(slice(signature, 12)).toBe(ecdsa)
    expect(() => encodeUserOperationSignature(validity, '0x1234')).toThrow(/65-byte/)
  })

  test('the digest is EIP-712, never the EIP-191 digest of the userOpHash', () => {
    const validity = { validAfter: 0, validUntil: 0 }
    const digest = hashTypedData(seedUserOperationTypedData({ account, chainId: 1, entryPoint, userOpHash, validity }))
    expect(digest).not.toBe(hashMessage({ raw: userOpHash }))
    const otherChain = hashTypedData(
      seedUserOperationTypedData({ account, chainId: 2, entryPoint, userOpHash, validity }),
    )
    expect(otherChain).not.toBe(digest)
  })
})
