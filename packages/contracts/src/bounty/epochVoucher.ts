/**
 * The poster's epoch voucher (EIP-712, SeedBountyEscrow's domain): the cumulative amount owed to one agent
 * under one bounty. Signing moves value (the operator can claim it), so only a payer that checked the
 * epoch's work signs one.
 */
import {
  type Address,
  type Chain,
  type Client,
  type Hex,
  hashTypedData,
  isAddressEqual,
  recoverTypedDataAddress,
  type Transport,
} from 'viem'
import { verifyTypedData } from 'viem/actions'

export const EPOCH_VOUCHER_TYPES = {
  EpochVoucher: [
    { name: 'bountyId', type: 'uint256' },
    { name: 'agentId', type: 'uint256' },
    { name: 'cumulativeAmount', type: 'uint256' },
  ],
} as const

export function epochVoucherTypedData(p: {
  chainId: number
  escrow: Address
  bountyId: bigint
  agentId: bigint
  cumulativeAmount: bigint
}) {
  return {
    domain: { name: 'SeedBountyEscrow', version: '1', chainId: p.chainId, verifyingContract: p.escrow },
    types: EPOCH_VOUCHER_TYPES,
    primaryType: 'EpochVoucher' as const,
    message: { bountyId: p.bountyId, agentId: p.agentId, cumulativeAmount: p.cumulativeAmount },
  }
}

export const epochVoucherDigest = (p: Parameters<typeof epochVoucherTypedData>[0]): Hex =>
  hashTypedData(epochVoucherTypedData(p))

/**
 * Is `signature` the poster's voucher? An EOA's is recovered locally; anything else (a smart-account
 * poster's ERC-1271 signature) is asked of the chain, as the escrow's SignatureChecker will.
 */
export async function isPosterVoucher(
  client: Client<Transport, Chain | undefined>,
  p: Parameters<typeof epochVoucherTypedData>[0] & { poster: Address; signature: Hex },
): Promise<boolean> {
  const typed = epochVoucherTypedData(p)
  const recovered = await recoverTypedDataAddress({ ...typed, signature: p.signature }).catch(() => undefined)
  if (recovered && isAddressEqual(recovered, p.poster)) return true
  return verifyTypedData(client, { ...typed, address: p.poster, signature: p.signature }).catch(() => false)
}
