/** EIP-712 vouchers of SeedPaymentChannel: the payer signs the cumulative amount owed on a channel. */
import { type Address, concatHex, encodeAbiParameters, type Hex, hashDomain, keccak256, toHex } from 'viem'

export const CHANNEL_SCHEME = 'channel'

export type ChannelPayload = { channelId: Hex; cumulativeAmount: string; payer: Address; signature: Hex }

export function voucherTypedData(contract: Address, chainId: number, channelId: Hex, cumulativeAmount: bigint) {
  return {
    domain: { name: 'SeedPaymentChannel', version: '1', chainId, verifyingContract: contract },
    types: {
      Voucher: [
        { name: 'channelId', type: 'bytes32' },
        { name: 'cumulativeAmount', type: 'uint256' },
      ],
    },
    primaryType: 'Voucher',
    message: { channelId, cumulativeAmount },
  } as const
}

const VOUCHER_TYPEHASH = keccak256(toHex('Voucher(bytes32 channelId,uint256 cumulativeAmount)'))
const domainSeparators = new Map<string, Hex>()

/**
 * The voucher's EIP-712 digest, as `SeedPaymentChannel.voucherDigest` computes it: equal to
 * `hashTypedData(voucherTypedData(...))` with the domain separator computed once per contract and chain
 * (the generic typed-data hasher re-encodes the domain and both type strings for every voucher).
 */
export function voucherDigest(contract: Address, chainId: number, channelId: Hex, cumulativeAmount: bigint): Hex {
  const key = `${chainId}:${contract.toLowerCase()}`
  let separator = domainSeparators.get(key)
  if (!separator) {
    const { domain } = voucherTypedData(contract, chainId, channelId, cumulativeAmount)
    separator = hashDomain({
      domain: { ...domain, chainId: BigInt(chainId) },
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' },
          { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' },
          { name: 'verifyingContract', type: 'address' },
        ],
      },
    })
    domainSeparators.set(key, separator)
  }
  const structHash = keccak256(
    encodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint256' }],
      [VOUCHER_TYPEHASH, channelId, cumulativeAmount],
    ),
  )
  return keccak256(concatHex(['0x1901', separator, structHash]))
}
