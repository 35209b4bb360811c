/**
 * x402 `channel` scheme, client side: each paid request carries a voucher for the cumulative amount owed on
 * the payer's channel to that payee (no transaction per request). The running total is kept per channel.
 */
import type { PaymentPayloadResult, PaymentRequirements, SchemeNetworkClient } from '@x402/core/types'
import type { ClientEvmSigner } from '@x402/evm'
import { type Address, getAddress, type Hex } from 'viem'
import { SeedX402Error } from '../errors.ts'
import { chainIdOf } from '../networks.ts'
import { CHANNEL_SCHEME, type ChannelPayload, voucherDigest, voucherTypedData } from './voucher.ts'

/** A viem local account (private key): signs a digest directly, so the voucher hash reuses its domain separator. */
type LocalSigner = ClientEvmSigner & { type: 'local'; sign(args: { hash: Hex }): Promise<Hex> }
const isLocal = (signer: ClientEvmSigner): signer is LocalSigner =>
  (signer as Partial<LocalSigner>).type === 'local' && typeof (signer as Partial<LocalSigner>).sign === 'function'

export type OpenChannel = { channelId: Hex; contract: Address; payee: Address; token: Address; cumulative: bigint }

export class ChannelClientScheme implements SchemeNetworkClient {
  readonly scheme = CHANNEL_SCHEME
  private readonly channels: OpenChannel[]

  /** `signer`: any x402 EVM signer (smart accounts sign the typed data), or a viem local account. */
  constructor(
    private readonly signer: ClientEvmSigner,
    channels: readonly OpenChannel[],
  ) {
    this.channels = channels.map((c) => ({ ...c }))
  }

  /** Total promised so far on the channel to `payee` in `token`. */
  cumulative(payee: Address, token: Address): bigint | undefined {
    return this.find(payee, token)?.cumulative
  }

  private find(payee: string, token: string, contract?: string) {
    return this.channels.find(
      (c) =>
        getAddress(c.payee) === getAddress(payee) &&
        getAddress(c.token) === getAddress(token) &&
        (!contract || getAddress(c.contract) === getAddress(contract)),
    )
  }

  async createPaymentPayload(x402Version: number, requirements: PaymentRequirements): Promise<PaymentPayloadResult> {
    const contract = requirements.extra?.channelContract as string | undefined
    const channel = this.find(requirements.payTo, requirements.asset, contract)
    if (!channel) throw new SeedX402Error(`no open channel to ${requirements.payTo} for ${requirements.asset}`)
    // Counted before signing so concurrent requests never sign the same total twice.
    channel.cumulative += BigInt(requirements.amount)
    const cumulative = channel.cumulative
    const chainId = chainIdOf(requirements.network)
    const signature = isLocal(this.signer)
      ? await this.signer.sign({ hash: voucherDigest(channel.contract, chainId, channel.channelId, cumulative) })
      : await this.signer.signTypedData(
          voucherTypedData(channel.contract, chainId, channel.channelId, cumulative) as never,
        )
    const payload: ChannelPayload = {
      channelId: channel.channelId,
      cumulativeAmount: cumulative.toString(),
      payer: this.signer.address,
      signature,
    }
    return { x402Version, payload }
  }
}
