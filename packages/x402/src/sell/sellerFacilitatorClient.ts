/**
 * The seller's facilitator client: @x402/core's HTTP client, with one facilitator round trip per `channel`
 * payment instead of two. Settling a voucher records it as the channel's new total (no transaction) after
 * the same checks /verify makes, so the voucher is settled when x402 asks to verify it and that result is
 * returned when x402 asks to settle. A voucher settled for a request whose handler then fails stays
 * counted; the payer's client has counted it too (its next voucher covers the total either way), so this
 * moves no more than the two-step flow would. `exact` payments keep /verify before and /settle after.
 */
import { type FacilitatorClient, HTTPFacilitatorClient } from '@x402/core/server'
import type { PaymentPayload, PaymentRequirements, SettleResponse, VerifyResponse } from '@x402/core/types'
import { CHANNEL_SCHEME, type ChannelPayload } from '../channel/voucher.ts'

/** Settled vouchers whose request has not asked for its receipt yet (a failed handler never asks). */
const MAX_PENDING_RECEIPTS = 10_000

export class SellerFacilitatorClient implements FacilitatorClient {
  private readonly http: HTTPFacilitatorClient
  private readonly receipts = new Map<string, SettleResponse>()

  constructor(config: ConstructorParameters<typeof HTTPFacilitatorClient>[0]) {
    this.http = new HTTPFacilitatorClient(config)
  }

  async verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse> {
    if (requirements.scheme !== CHANNEL_SCHEME) return this.http.verify(payload, requirements)
    const settled = await this.http.settle(payload, requirements)
    if (!settled.success) return { isValid: false, invalidReason: settled.errorReason, payer: settled.payer }
    if (this.receipts.size >= MAX_PENDING_RECEIPTS) this.receipts.delete(this.receipts.keys().next().value as string)
    this.receipts.set(receiptKey(payload), settled)
    return { isValid: true, payer: settled.payer }
  }

  async settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse> {
    if (requirements.scheme === CHANNEL_SCHEME) {
      const key = receiptKey(payload)
      const receipt = this.receipts.get(key)
      if (receipt) {
        this.receipts.delete(key)
        return receipt
      }
    }
    return this.http.settle(payload, requirements)
  }

  getSupported() {
    return this.http.getSupported()
  }
}

function receiptKey(payload: PaymentPayload): string {
  const p = payload.payload as ChannelPayload
  return `${p.channelId}:${p.cumulativeAmount}:${p.signature}`
}
