/**
 * Checks a feedback's proof of payment on chain: the transaction exists, succeeded, and moved value from
 * the feedback's giver to the agent's wallet (an ERC-20 Transfer log, as an x402 settlement through
 * EIP-3009 leaves, a plain ETH transfer, or a bounty escrow's `EpochsPaid`: the settlement of epoch vouchers
 * the giver signed, whose token Transfer comes from the escrow, not the giver; decision 0802). A proof naming other parties than the feedback's is refused
 * even if the payment is real: someone else's receipt proves nothing about this giver.
 */
import {
  type Address,
  type Chain,
  type Client,
  getAddress,
  type Hash,
  isAddressEqual,
  parseEventLogs,
  type Transport,
} from 'viem'
import { getTransaction, getTransactionReceipt, readContract } from 'viem/actions'
import { seedBountyEscrow } from '../bounty/listBounties.ts'
import { SeedBountyEscrowAbi } from '../generated/index.ts'
import type { ProofOfPayment } from './feedbackFile.ts'

const transferEvent = [
  {
    type: 'event',
    name: 'Transfer',
    inputs: [
      { indexed: true, name: 'from', type: 'address' },
      { indexed: true, name: 'to', type: 'address' },
      { indexed: false, name: 'value', type: 'uint256' },
    ],
  },
] as const

export type PaymentCheck =
  | { paid: true; asset: Address | 'native'; amount: bigint; txHash: Hash }
  | {
      paid: false
      reason: 'no proof' | 'wrong parties' | 'wrong chain' | 'no such transaction' | 'failed' | 'no payment'
    }

export async function verifyProofOfPayment(
  client: Client<Transport, Chain | undefined>,
  p: {
    proof: ProofOfPayment | undefined
    giver: Address
    agentWallet: Address
    chainId: number
    /** Bounty escrows whose `EpochsPaid` counts as the poster's payment (default: Seed's). */
    escrows?: readonly Address[]
  },
): Promise<PaymentCheck> {
  const { proof, giver, agentWallet } = p
  if (!proof) return { paid: false, reason: 'no proof' }
  if (!isAddressEqual(proof.fromAddress, giver) || !isAddressEqual(proof.toAddress, agentWallet)) {
    return { paid: false, reason: 'wrong parties' }
  }
  if (String(proof.chainId) !== String(p.chainId)) return { paid: false, reason: 'wrong chain' }
  const receipt = await getTransactionReceipt(client, { hash: proof.txHash as Hash }).catch(() => undefined)
  if (!receipt) return { paid: false, reason: 'no such transaction' }
  if (receipt.status !== 'success') return { paid: false, reason: 'failed' }
  const transfer = parseEventLogs({ abi: transferEvent, logs: receipt.logs, strict: false }).find(
    (log) =>
      log.args.from &&
      log.args.to &&
      isAddressEqual(log.args.from, giver) &&
      isAddressEqual(log.args.to, agentWallet) &&
      (log.args.value ?? 0n) > 0n,
  )
  if (transfer) {
    return {
      paid: true,
      asset: getAddress(transfer.address),
      amount: transfer.args.value ?? 0n,
      txHash: receipt.transactionHash,
    }
  }
  // Only an escrow the reader trusts: anyone's contract can emit an event of the same shape.
  const escrows = p.escrows ?? [seedBountyEscrow()]
  const settlement = parseEventLogs({ abi: SeedBountyEscrowAbi, eventName: 'EpochsPaid', logs: receipt.logs }).find(
    (log) =>
      escrows.some((escrow) => isAddressEqual(escrow, log.address)) &&
      isAddressEqual(log.args.payer, giver) &&
      isAddressEqual(log.args.payee, agentWallet) &&
      log.args.amount > 0n,
  )
  if (settlement) {
    const { token } = await readBountyToken(client, settlement.address, settlement.args.bountyId)
    return { paid: true, asset: token, amount: settlement.args.amount, txHash: receipt.transactionHash }
  }
  const tx = await getTransaction(client, { hash: proof.txHash as Hash })
  if (tx.to && isAddressEqual(tx.from, giver) && isAddressEqual(tx.to, agentWallet) && tx.value > 0n) {
    return { paid: true, asset: 'native', amount: tx.value, txHash: tx.hash }
  }
  return { paid: false, reason: 'no payment' }
}

async function readBountyToken(client: Client<Transport, Chain | undefined>, escrow: Address, bountyId: bigint) {
  const bounty = await readContract(client, {
    address: escrow,
    abi: SeedBountyEscrowAbi,
    functionName: 'bounties',
    args: [bountyId],
  })
  return { token: getAddress(bounty[7]) }
}

/**
 * One payment backs one feedback entry: an entry citing a transaction that an earlier unrevoked entry
 * (in the order given: the registry's log order) already used is not counted, so one purchase cannot
 * buy many reviews. A revoked entry releases its payment for a later one.
 */
export function onePaymentOneFeedback<T extends { entry: { isRevoked: boolean }; check: PaymentCheck }>(
  checks: readonly T[],
): T[] {
  const used = new Set<string>()
  return checks.map((c) => {
    if (!c.check.paid || c.entry.isRevoked) return c
    const tx = c.check.txHash.toLowerCase()
    if (used.has(tx)) return { ...c, check: { paid: false, reason: 'payment already used' } }
    used.add(tx)
    return c
  })
}
