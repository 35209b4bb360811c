import { type Hex, hashTypedData, hexToBytes, numberToHex, toHex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import { ChannelClientScheme } from './client.ts'
import { recoverSigner } from './recoverSigner.ts'
import { voucherDigest, voucherTypedData } from './voucher.ts'

const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
const contract = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const channelId = `0x${'ab'.repeat(32)}` as Hex

test('the voucher digest is the EIP-712 hash of the voucher, per contract and chain', () => {
  for (const [chainId, amount] of [
    [31337, 1n],
    [31338, 10n ** 30n],
    [31338, 0n],
  ] as const) {
    expect(voucherDigest(contract, chainId, channelId, amount)).toBe(
      hashTypedData(voucherTypedData(contract, chainId, channelId, amount)),
    )
  }
  expect(voucherDigest(contract, 1, channelId, 5n)).not.toBe(voucherDigest(contract, 2, channelId, 5n))
})

test('recovers the signer of a voucher, refusing what ECDSA.recover would refuse on chain', async () => {
  const payer = privateKeyToAccount(generatePrivateKey())
  const digest = voucherDigest(contract, 31338, channelId, 42n)
  const signature = await payer.signTypedData(voucherTypedData(contract, 31338, channelId, 42n))
  expect(await recoverSigner(digest, signature)).toBe(payer.address)
  // Another digest recovers someone else.
  expect(await recoverSigner(voucherDigest(contract, 31338, channelId, 43n), signature)).not.toBe(payer.address)

  const bytes = hexToBytes(signature)
  const r = toHex(bytes.subarray(0, 32))
  const s = BigInt(toHex(bytes.subarray(32, 64)))
  const v = bytes[64] as number
  // The malleable twin (s' = n - s, parity flipped) recovers the same key with ecrecover, but OpenZeppelin refuses it.
  const twin = `${r}${numberToHex(CURVE_ORDER - s, { size: 32 }).slice(2)}${(v === 27 ? 28 : 27).toString(16)}` as Hex
  expect(await recoverSigner(digest, twin)).toBeUndefined()
  // v as 0/1 (yParity) is refused too: the contract's ecrecover wants 27/28.
  expect(await recoverSigner(digest, `${signature.slice(0, 130)}0${v - 27}` as Hex)).toBeUndefined()
  expect(await recoverSigner(digest, signature.slice(0, 130) as Hex)).toBeUndefined()
  expect(await recoverSigner(digest, `0x${'00'.repeat(65)}`)).toBeUndefined()
})

test('a local account signs the voucher digest; the same voucher as any typed-data signer, totals counted', async () => {
  const payer = privateKeyToAccount(generatePrivateKey())
  const channel = { channelId, contract, payee: payer.address, token: contract, cumulative: 100n } as const
  const requirements = {
    scheme: 'channel',
    network: 'eip155:31338',
    asset: contract,
    amount: '25',
    payTo: payer.address,
    maxTimeoutSeconds: 60,
    extra: { channelContract: contract },
  } as const
  const local = new ChannelClientScheme(payer, [channel])
  const typed = new ChannelClientScheme(
    { address: payer.address, signTypedData: (m) => payer.signTypedData(m as never) },
    [channel],
  )
  const a = await local.createPaymentPayload(2, requirements)
  const b = await typed.createPaymentPayload(2, requirements)
  expect(a.payload).toEqual(b.payload)
  expect(a.payload.cumulativeAmount).toBe('125')
  expect(local.cumulative(payer.address, contract)).toBe(125n)
  const signature = a.payload.signature as Hex
  expect(await recoverSigner(voucherDigest(contract, 31338, channelId, 125n), signature)).toBe(payer.address)
})
