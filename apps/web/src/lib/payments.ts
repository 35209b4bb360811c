/**
 * x402 settlements as the chain records them. `exact` payments are EIP-3009 transfers on Seed USD:
 * `AuthorizationUsed(authorizer, nonce)` next to the `Transfer` it authorized, in the same
 * transaction. `channel` payments are the payee's claims on SeedPaymentChannel, whose payer and
 * payee come from the channel's `ChannelOpened`. The paid resource (a URL) lives in the HTTP
 * exchange, not on chain: no settlement names it.
 */
import { SeedPaymentChannelAbi, SeedUSDAbi } from '@seed/contracts'
import type { Address, Hash, PublicClient } from 'viem'
import { inWindows } from './logs.ts'

export type Settlement = {
  scheme: 'exact' | 'channel'
  txHash: Hash
  blockNumber: bigint
  payer: Address
  payee: Address
  /** Seed USD base units (6 decimals). */
  amount: bigint
}

export async function exactSettlements(client: PublicClient, usd: Address): Promise<Settlement[]> {
  const [used, transfers] = await Promise.all([
    inWindows(client, (range) =>
      client.getContractEvents({
        address: usd,
        abi: SeedUSDAbi,
        eventName: 'AuthorizationUsed',
        ...range,
        strict: true,
      }),
    ),
    inWindows(client, (range) =>
      client.getContractEvents({ address: usd, abi: SeedUSDAbi, eventName: 'Transfer', ...range, strict: true }),
    ),
  ])
  return used.flatMap((auth) => {
    const transfer = transfers.find(
      (t) => t.transactionHash === auth.transactionHash && t.args.from === auth.args.authorizer,
    )
    if (!transfer) return []
    return [
      {
        scheme: 'exact' as const,
        txHash: auth.transactionHash,
        blockNumber: auth.blockNumber,
        payer: transfer.args.from,
        payee: transfer.args.to,
        amount: transfer.args.value,
      },
    ]
  })
}

export async function channelSettlements(client: PublicClient, channel: Address): Promise<Settlement[]> {
  const [opened, claims] = await Promise.all([
    inWindows(client, (range) =>
      client.getContractEvents({
        address: channel,
        abi: SeedPaymentChannelAbi,
        eventName: 'ChannelOpened',
        ...range,
        strict: true,
      }),
    ),
    inWindows(client, (range) =>
      client.getContractEvents({
        address: channel,
        abi: SeedPaymentChannelAbi,
        eventName: 'Claimed',
        ...range,
        strict: true,
      }),
    ),
  ])
  const parties = new Map(opened.map((o) => [o.args.channelId, o.args]))
  return claims.flatMap((claim) => {
    const party = parties.get(claim.args.channelId)
    if (!party) return []
    return [
      {
        scheme: 'channel' as const,
        txHash: claim.transactionHash,
        blockNumber: claim.blockNumber,
        payer: party.payer,
        payee: party.payee,
        amount: claim.args.amount,
      },
    ]
  })
}

export const newestFirst = (a: Settlement, b: Settlement) => (a.blockNumber < b.blockNumber ? 1 : -1)
