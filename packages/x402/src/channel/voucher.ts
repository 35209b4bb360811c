/** EIP-712 vouchers of SeedPaymentChannel: the payer signs the cumulative amount owed on a channel. */
import type { Address, Hex } from 'viem'

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
