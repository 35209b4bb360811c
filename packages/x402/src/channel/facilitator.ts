/**
 * x402 `channel` scheme, facilitator side. /verify checks a voucher against the channel on chain (payee,
 * token, deposit) and against the last voucher accepted; /settle records it (no transaction: the payment is
 * final for the seller once the voucher is valid and covered by the deposit). `claim()` later turns the
 * latest voucher of each channel into one on-chain transfer: many requests, one transaction.
 */
import { SeedPaymentChannelAbi } from '@seed/contracts'
import type {
  Network,
  PaymentPayload,
  PaymentRequirements,
  SchemeNetworkFacilitator,
  SettleResponse,
  VerifyResponse,
} from '@x402/core/types'
import { type Address, getAddress, type Hex, type PublicClient, type WalletClient } from 'viem'
import { chainIdOf } from '../networks.ts'
import { recoverSigner } from './recoverSigner.ts'
import { CHANNEL_SCHEME, type ChannelPayload, voucherDigest } from './voucher.ts'

/** Reasons this scheme reports (named after the exact scheme's where they mean the same). */
export const ChannelReason = {
  channelNotFound: 'invalid_channel_not_found',
  channelClosing: 'invalid_channel_closing',
  wrongContract: 'invalid_channel_contract',
  recipientMismatch: 'invalid_channel_recipient_mismatch',
  assetMismatch: 'invalid_channel_asset_mismatch',
  amountTooLow: 'invalid_channel_voucher_amount',
  insufficientDeposit: 'invalid_channel_insufficient_deposit',
  invalidSignature: 'invalid_channel_signature',
  networkMismatch: 'invalid_channel_network_mismatch',
} as const

const CHANNEL_CACHE_MS = 5_000

const erc1271Abi = [
  {
    type: 'function',
    name: 'isValidSignature',
    stateMutability: 'view',
    inputs: [
      { name: 'hash', type: 'bytes32' },
      { name: 'signature', type: 'bytes' },
    ],
    outputs: [{ type: 'bytes4' }],
  },
] as const

type OnChainChannel = {
  payer: Address
  payee: Address
  token: Address
  closing: boolean
  deposit: bigint
  claimed: bigint
  /** The contract checks a contract payer's vouchers with ERC-1271, an EOA's with ECDSA (SignatureChecker). */
  payerIsContract: boolean
}
type Accepted = { cumulative: bigint; signature: Hex }

export class ChannelFacilitatorScheme implements SchemeNetworkFacilitator {
  readonly scheme = CHANNEL_SCHEME
  readonly caipFamily = 'eip155:*'
  private readonly accepted = new Map<Hex, Accepted>()
  /** On-chain channel reads, reused briefly: payer/payee/token never change and the deposit only grows. */
  private readonly cache = new Map<Hex, { at: number; channel: OnChainChannel }>()
  /** Vouchers whose signature /verify already checked, so /settle does not recover them again. */
  private readonly checked = new Set<string>()

  constructor(
    private readonly network: Network,
    private readonly contract: Address,
    private readonly publicClient: PublicClient,
    private readonly walletClient: WalletClient,
  ) {}

  getExtra(): Record<string, unknown> {
    return { channelContract: this.contract }
  }

  getSigners(): string[] {
    return this.walletClient.account ? [this.walletClient.account.address] : []
  }

  /**
   * The channel as last read, re-read when older than CHANNEL_CACHE_MS or when a voucher exceeds the cached
   * deposit (a top-up). A payer's close request is noticed within that window, far inside any sane closeDelay.
   */
  private async cached(channelId: Hex, needed: bigint): Promise<OnChainChannel | undefined> {
    const hit = this.cache.get(channelId)
    if (hit && Date.now() - hit.at < CHANNEL_CACHE_MS && needed <= hit.channel.deposit) return hit.channel
    const channel = await this.read(channelId)
    if (channel) this.cache.set(channelId, { at: Date.now(), channel })
    return channel
  }

  private async read(channelId: Hex): Promise<OnChainChannel | undefined> {
    const [payer, payee, token, , closeRequestedAt, deposit, claimed] = await this.publicClient.readContract({
      address: this.contract,
      abi: SeedPaymentChannelAbi,
      functionName: 'channels',
      args: [channelId],
    })
    if (payer === '0x0000000000000000000000000000000000000000') return undefined
    const code = await this.publicClient.getCode({ address: payer })
    return {
      payer,
      payee,
      token,
      closing: closeRequestedAt !== 0n,
      deposit,
      claimed,
      payerIsContract: !!code && code !== '0x',
    }
  }

  async verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    const p = payload.payload as ChannelPayload
    const invalid = (invalidReason: string): VerifyResponse => ({ isValid: false, invalidReason, payer: p.payer })
    if (payload.accepted.network !== requirements.network || requirements.network !== this.network) {
      return invalid(ChannelReason.networkMismatch)
    }
    const contract = requirements.extra?.channelContract as string | undefined
    if (!contract || getAddress(contract) !== getAddress(this.contract)) return invalid(ChannelReason.wrongContract)
    const cumulative = BigInt(p.cumulativeAmount)
    const channel = await this.cached(p.channelId, cumulative)
    if (!channel) return invalid(ChannelReason.channelNotFound)
    if (channel.closing) return invalid(ChannelReason.channelClosing)
    if (getAddress(channel.payee) !== getAddress(requirements.payTo)) return invalid(ChannelReason.recipientMismatch)
    if (getAddress(channel.token) !== getAddress(requirements.asset)) return invalid(ChannelReason.assetMismatch)
    const last = this.accepted.get(p.channelId)?.cumulative ?? channel.claimed
    if (cumulative - last < BigInt(requirements.amount)) return invalid(ChannelReason.amountTooLow)
    if (cumulative > channel.deposit) return invalid(ChannelReason.insufficientDeposit)
    // Keyed by everything the signature commits to, so a known signature never vouches for other values.
    const checkedKey = `${p.channelId}:${cumulative}:${p.signature}`
    if (this.checked.has(checkedKey)) return { isValid: true, payer: channel.payer }
    // As SignatureChecker will at claim time: an EOA payer's signature by ECDSA (locally), a contract's by ERC-1271.
    const digest = voucherDigest(this.contract, chainIdOf(this.network), p.channelId, cumulative)
    const valid = channel.payerIsContract
      ? await this.isValidErc1271(channel.payer, digest, p.signature)
      : (await recoverSigner(digest, p.signature)) === getAddress(channel.payer)
    if (!valid) return invalid(ChannelReason.invalidSignature)
    if (this.checked.size > 100_000) this.checked.clear()
    this.checked.add(checkedKey)
    return { isValid: true, payer: channel.payer }
  }

  private async isValidErc1271(account: Address, digest: Hex, signature: Hex): Promise<boolean> {
    const magic = await this.publicClient
      .readContract({ address: account, abi: erc1271Abi, functionName: 'isValidSignature', args: [digest, signature] })
      .catch(() => undefined)
    return magic === '0x1626ba7e'
  }

  /**
   * Accepts the voucher as the channel's new total. The check-and-set after the (async) verification is
   * synchronous, so two vouchers racing for the same increase cannot both count.
   */
  async settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    const p = payload.payload as ChannelPayload
    const refuse = (errorReason?: string): SettleResponse => ({
      success: false,
      errorReason,
      transaction: '',
      network: this.network,
      payer: p.payer,
    })
    const verdict = await this.verify(payload, requirements)
    if (!verdict.isValid) return refuse(verdict.invalidReason)
    const cumulative = BigInt(p.cumulativeAmount)
    const last = this.accepted.get(p.channelId)?.cumulative
    if (last !== undefined && cumulative - last < BigInt(requirements.amount)) return refuse(ChannelReason.amountTooLow)
    this.accepted.set(p.channelId, { cumulative, signature: p.signature })
    return { success: true, transaction: '', network: this.network, payer: verdict.payer }
  }

  /** Claims every channel's latest voucher not yet on chain; returns the claim transactions. */
  async claim(): Promise<Hex[]> {
    const hashes: Hex[] = []
    for (const [channelId, voucher] of this.accepted) {
      const channel = await this.read(channelId)
      if (!channel || voucher.cumulative <= channel.claimed) continue
      this.cache.delete(channelId)
      const hash = await this.walletClient.writeContract({
        address: this.contract,
        abi: SeedPaymentChannelAbi,
        functionName: 'claim',
        args: [channelId, voucher.cumulative, voucher.signature],
        account: this.walletClient.account ?? null,
        chain: this.walletClient.chain,
      })
      const receipt = await this.publicClient.waitForTransactionReceipt({ hash })
      if (receipt.status === 'success') hashes.push(hash)
    }
    return hashes
  }

  /** Total accepted but not yet claimed, per channel. */
  pending(): Map<Hex, bigint> {
    return new Map([...this.accepted].map(([id, v]) => [id, v.cumulative]))
  }
}
