/**
 * x402 `channel` scheme, facilitator side. /verify checks a voucher against the channel on chain (payee,
 * token, deposit, close delay) and against the last voucher accepted; /settle records it durably before
 * answering (no transaction: the payment is final for the seller once the voucher is valid and covered by the
 * deposit). `claim()` later turns the latest voucher of each channel into one on-chain transfer: many
 * requests, one transaction. `restore()` reloads what was accepted before a restart, and a payer's close
 * request is answered by claiming that channel at once (`claimChannel`).
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
import { retryStaleNonce } from '../facilitator/retryStaleNonce.ts'
import { chainIdOf } from '../networks.ts'
import { recoverSigner } from './recoverSigner.ts'
import { CHANNEL_SCHEME, type ChannelPayload, voucherDigest } from './voucher.ts'
import { createMemoryVoucherStore, type StoredVoucher, type VoucherStore } from './voucherStore.ts'

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
  closeDelayTooShort: 'invalid_channel_close_delay',
  unclaimedExposure: 'invalid_channel_unclaimed_exposure',
  notPersisted: 'unexpected_channel_store_error',
} as const

/** SeedPaymentChannel.MIN_CLOSE_DELAY: the facilitator's default floor too (a deployment may predate it). */
export const MIN_CLOSE_DELAY_SECONDS = 3_600n

/** One Seed USD (6 decimals): thousands of micropayments between claims, little at stake if voided. */
export const DEFAULT_CONTRACT_PAYER_MAX_UNCLAIMED = 1_000_000n

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
  closeDelay: bigint
  deposit: bigint
  claimed: bigint
  /** The contract checks a contract payer's vouchers with ERC-1271, an EOA's with ECDSA (SignatureChecker). */
  payerIsContract: boolean
}
export type ChannelFacilitatorOptions = {
  /** Accepted vouchers, written before the seller is answered (default: memory only). */
  store?: VoucherStore
  /** Channels whose close delay is shorter are refused (seconds; default MIN_CLOSE_DELAY_SECONDS). */
  minCloseDelay?: bigint
  /**
   * Largest unclaimed total accepted from a contract payer (token base units). Its vouchers are valid only
   * while its ERC-1271 check says so (an owner rotation can void them all), so beyond this the channel is
   * claimed first and vouchers are refused until the claim lands. Default
   * DEFAULT_CONTRACT_PAYER_MAX_UNCLAIMED.
   */
  contractPayerMaxUnclaimed?: bigint
}

export class ChannelFacilitatorScheme implements SchemeNetworkFacilitator {
  readonly scheme = CHANNEL_SCHEME
  readonly caipFamily = 'eip155:*'
  private readonly accepted = new Map<Hex, StoredVoucher>()
  private readonly store: VoucherStore
  private readonly minCloseDelay: bigint
  private readonly contractPayerMaxUnclaimed: bigint
  /** Claims in flight per channel: a close request and the periodic claim never send the same claim twice. */
  private readonly claiming = new Map<Hex, Promise<Hex | undefined>>()
  /** On-chain channel reads, reused briefly: payer/payee/token never change and the deposit only grows. */
  private readonly cache = new Map<Hex, { at: number; channel: OnChainChannel }>()
  /** Vouchers whose signature /verify already checked, so /settle does not recover them again. */
  private readonly checked = new Set<string>()

  constructor(
    private readonly network: Network,
    private readonly contract: Address,
    private readonly publicClient: PublicClient,
    private readonly walletClient: WalletClient,
    options: ChannelFacilitatorOptions = {},
  ) {
    this.store = options.store ?? createMemoryVoucherStore()
    this.minCloseDelay = options.minCloseDelay ?? MIN_CLOSE_DELAY_SECONDS
    this.contractPayerMaxUnclaimed = options.contractPayerMaxUnclaimed ?? DEFAULT_CONTRACT_PAYER_MAX_UNCLAIMED
  }

  /** The contract whose channels this scheme accepts (the facilitator watches its close requests). */
  get channelContract(): Address {
    return this.contract
  }

  private storeKey(channelId: Hex) {
    return `${this.network}:${this.contract.toLowerCase()}:${channelId}`
  }

  /** Reloads the vouchers accepted before a restart (call before serving; then `claim()` them). */
  async restore(): Promise<void> {
    const prefix = this.storeKey('0x')
    for (const [key, voucher] of await this.store.load()) {
      if (!key.startsWith(prefix)) continue
      const channelId = key.slice(prefix.length - 2) as Hex
      const known = this.accepted.get(channelId)
      if (!known || voucher.cumulative > known.cumulative) this.accepted.set(channelId, voucher)
    }
  }

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
    const [payer, payee, token, closeDelay, closeRequestedAt, deposit, claimed] = await this.publicClient.readContract({
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
      closeDelay,
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
    if (channel.closeDelay < this.minCloseDelay) return invalid(ChannelReason.closeDelayTooShort)
    if (getAddress(channel.payee) !== getAddress(requirements.payTo)) return invalid(ChannelReason.recipientMismatch)
    if (getAddress(channel.token) !== getAddress(requirements.asset)) return invalid(ChannelReason.assetMismatch)
    const last = this.accepted.get(p.channelId)?.cumulative ?? channel.claimed
    if (cumulative - last < BigInt(requirements.amount)) return invalid(ChannelReason.amountTooLow)
    if (cumulative > channel.deposit) return invalid(ChannelReason.insufficientDeposit)
    if (channel.payerIsContract && cumulative - channel.claimed > this.contractPayerMaxUnclaimed) {
      // Claim what is owed so far; the payer's next voucher is accepted once that claim has landed.
      this.claimChannel(p.channelId).catch(() => undefined)
      return invalid(ChannelReason.unclaimedExposure)
    }
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
    const voucher = { cumulative, signature: p.signature }
    this.accepted.set(p.channelId, voucher)
    // Durable before the seller hears "paid": a restart must neither lose it nor accept an older one again.
    // Unsaved, the seller is refused; the voucher stays claimable from memory (it is valid).
    const saved = await this.store.save(this.storeKey(p.channelId), voucher).then(
      () => true,
      () => false,
    )
    if (!saved) return refuse(ChannelReason.notPersisted)
    return { success: true, transaction: '', network: this.network, payer: verdict.payer }
  }

  /** Claims every channel's latest voucher not yet on chain; returns the claim transactions. */
  async claim(): Promise<Hex[]> {
    const hashes: Hex[] = []
    for (const channelId of [...this.accepted.keys()]) {
      const hash = await this.claimChannel(channelId)
      if (hash) hashes.push(hash)
    }
    return hashes
  }

  /** Claims one channel's latest accepted voucher if it adds to what is claimed; the transaction if it landed. */
  claimChannel(channelId: Hex): Promise<Hex | undefined> {
    const inFlight = this.claiming.get(channelId)
    if (inFlight) return inFlight
    const run = this.sendClaim(channelId).finally(() => this.claiming.delete(channelId))
    this.claiming.set(channelId, run)
    return run
  }

  private async sendClaim(channelId: Hex): Promise<Hex | undefined> {
    const voucher = this.accepted.get(channelId)
    if (!voucher) return undefined
    const channel = await this.read(channelId)
    if (!channel || voucher.cumulative <= channel.claimed) return undefined
    this.cache.delete(channelId)
    const hash = await retryStaleNonce(() =>
      this.walletClient.writeContract({
        address: this.contract,
        abi: SeedPaymentChannelAbi,
        functionName: 'claim',
        args: [channelId, voucher.cumulative, voucher.signature],
        account: this.walletClient.account ?? null,
        chain: this.walletClient.chain,
      }),
    )
    const receipt = await this.publicClient.waitForTransactionReceipt({ hash })
    this.cache.delete(channelId)
    return receipt.status === 'success' ? hash : undefined
  }

  /** Total accepted but not yet claimed, per channel. */
  pending(): Map<Hex, bigint> {
    return new Map([...this.accepted].map(([id, v]) => [id, v.cumulative]))
  }
}
