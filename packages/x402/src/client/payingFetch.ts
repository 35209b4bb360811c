/**
 * The wallet-side x402 fetch: @x402/fetch's `wrapFetchWithPayment` with the agent's signer (its smart account),
 * every payment gated by the policy engine before anything is signed, receipts and refusals written to the
 * activity log, and idempotency: a request retried under the same `Idempotency-Key` resends the authorisation
 * it already signed (same EIP-3009 nonce, so the token can move the funds at most once) and never signs a
 * second one. An authorisation handed over stays spent whatever the seller answers (anyone holding it can
 * settle it) until it expired unused on chain (handedOver.ts).
 */
import type { KeyValueStorage } from '@seed/aa'
import { x402Client, x402HTTPClient } from '@x402/core/client'
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from '@x402/core/http'
import type { Network, PaymentPayload, PaymentRequirements, SettleResponse } from '@x402/core/types'
import type { ClientEvmSigner } from '@x402/evm'
import { ExactEvmScheme } from '@x402/evm/exact/client'
import { wrapFetchWithPayment } from '@x402/fetch'
import type { Address } from 'viem'
import { SeedX402Error } from '../errors.ts'
import type { ActivityLog, PaymentActivity } from './activityLog.ts'
import { type AuthorizationStateReader, releaseExpiredAuthorizations, rememberHandedOver } from './handedOver.ts'
import type { PaymentIntent, PaymentPolicyEngine } from './policy.ts'

export class PaymentRefusedError extends SeedX402Error {
  override name = 'PaymentRefusedError'
}

export class AlreadyPaidError extends SeedX402Error {
  override name = 'AlreadyPaidError'
  constructor(
    readonly idempotencyKey: string,
    readonly receipt: IdempotencyRecord,
  ) {
    super(`already paid for idempotency key ${idempotencyKey}: not paying twice`, {
      details: `nonce ${receipt.nonce}, status ${receipt.status}${receipt.transaction ? `, tx ${receipt.transaction}` : ''}`,
    })
  }
}

export type IdempotencyRecord = {
  payload: PaymentPayload
  nonce?: string
  status: 'signed' | 'settled' | 'failed'
  transaction?: string
}

export type PayingFetchParameters = {
  signer: ClientEvmSigner
  networks: readonly Network[]
  policy: PaymentPolicyEngine
  activity: ActivityLog
  /** Idempotency records (signed authorisations and receipts per request key). */
  storage: KeyValueStorage
  fetch?: typeof globalThis.fetch
  /**
   * Per network, a client that reads the token's `authorizationState`: an authorisation handed over but not
   * settled is given back to the budget once it expired unused. Without one it stays spent for the period.
   */
  publicClients?: Partial<Record<Network, AuthorizationStateReader>>
}

export type PayingRequestInit = RequestInit & { idempotencyKey?: string }

export type PaidResponse = Response & { payment?: SettleResponse }

const nonceOf = (payload: PaymentPayload) =>
  (payload.payload as { authorization?: { nonce?: string } }).authorization?.nonce

export function createPayingFetch(parameters: PayingFetchParameters) {
  const baseFetch = parameters.fetch ?? globalThis.fetch
  const { policy, activity, storage } = parameters
  // Serialises the read-modify-write of the handed-over list between concurrent requests.
  let handedOverQueue: Promise<unknown> = Promise.resolve()
  const handedOver = (fn: () => Promise<void>) => {
    const run = handedOverQueue.then(fn)
    handedOverQueue = run.catch(() => undefined)
    return run
  }

  return async function payingFetch(input: RequestInfo | URL, init?: PayingRequestInit): Promise<PaidResponse> {
    await handedOver(() =>
      releaseExpiredAuthorizations({ storage, policy, readers: parameters.publicClients ?? {}, now: Date.now() }),
    )
    const request = new Request(input, init)
    const key = init?.idempotencyKey ?? request.headers.get('Idempotency-Key') ?? undefined
    const recordKey = key ? `x402/idempotency/${key}` : undefined
    const previous = recordKey ? await storage.get<IdempotencyRecord>(recordKey) : undefined
    if (key && previous?.status === 'settled') throw new AlreadyPaidError(key, previous)

    let intent: PaymentIntent | undefined
    let requirements: PaymentRequirements | undefined
    let payload: PaymentPayload | undefined = previous?.payload
    const log = (entry: Partial<PaymentActivity> & Pick<PaymentActivity, 'status'>) =>
      activity.append({
        at: new Date().toISOString(),
        url: request.url,
        network: requirements?.network ?? payload?.accepted.network ?? '',
        asset: requirements?.asset ?? payload?.accepted.asset ?? '',
        amount: requirements?.amount ?? payload?.accepted.amount ?? '',
        payTo: requirements?.payTo ?? payload?.accepted.payTo ?? '',
        idempotencyKey: key,
        ...entry,
      })

    const client = new x402Client()
    for (const network of parameters.networks) client.register(network, new ExactEvmScheme(parameters.signer))
    // Our policy engine is the spend control (it knows Seed USD, which x402's default asset table does not).
    client.setSpendControls(false)
    client.onBeforePaymentCreation(async ({ selectedRequirements }) => {
      requirements = selectedRequirements
      if (key && previous) {
        return { abort: true, reason: `authorisation for ${key} already signed and refused: not signing another` }
      }
      intent = {
        url: request.url,
        payTo: selectedRequirements.payTo as Address,
        asset: selectedRequirements.asset as Address,
        amount: BigInt(selectedRequirements.amount),
        network: selectedRequirements.network,
      }
      const decision = await policy.authorize(intent)
      if (!decision.allowed) {
        intent = undefined
        await log({ status: 'refused', reason: decision.reason })
        return { abort: true, reason: decision.reason }
      }
    })
    client.onAfterPaymentCreation(async ({ paymentPayload }) => {
      payload = paymentPayload
      // Persist before sending: a crash between here and the answer must not lead to a second signature.
      if (recordKey) await storage.set(recordKey, { payload, nonce: nonceOf(payload), status: 'signed' })
    })

    const httpClient = new x402HTTPClient(client)
    if (previous) {
      // Retry: resend the authorisation already signed for this key.
      httpClient.onPaymentRequired(async () => ({ headers: httpClient.encodePaymentSignatureHeader(previous.payload) }))
    }

    let response: Response
    try {
      response = await wrapFetchWithPayment(baseFetch, httpClient)(request)
    } catch (error) {
      // Refused before signing: give the reservation back. Signed but the answer was lost: the payment may
      // have settled, so the amount stays counted (the idempotency record lets a retry find out safely).
      if (intent && !payload) await policy.release(intent)
      else if (intent && payload)
        await handedOver(() => rememberHandedOver(storage, intent as PaymentIntent, payload as PaymentPayload))
      const message = error instanceof Error ? error.message : String(error)
      throw new PaymentRefusedError(message.replace(/^Failed to create payment payload: /, ''), { cause: error })
    }
    if (!payload) return response // free resource, or no payment attempted

    const receiptHeader = response.headers.get('PAYMENT-RESPONSE')
    const receipt = receiptHeader ? decodePaymentResponseHeader(receiptHeader) : undefined
    if (receipt?.success) {
      if (recordKey) {
        await storage.set(recordKey, {
          payload,
          nonce: nonceOf(payload),
          status: 'settled',
          transaction: receipt.transaction,
        })
      }
      await log({ status: 'settled', payer: receipt.payer, nonce: nonceOf(payload), transaction: receipt.transaction })
      return Object.assign(response, { payment: receipt })
    }
    // Refused, says the seller: the authorisation is in its hands and may still settle, so it stays spent
    // until it expired unused on chain.
    const challenge = response.headers.get('PAYMENT-REQUIRED')
    const reason =
      receipt?.errorReason ??
      (challenge ? decodePaymentRequiredHeader(challenge).error : undefined) ??
      `HTTP ${response.status}`
    if (intent) await handedOver(() => rememberHandedOver(storage, intent as PaymentIntent, payload as PaymentPayload))
    if (recordKey) await storage.set(recordKey, { payload, nonce: nonceOf(payload), status: 'failed' })
    await log({ status: 'failed', nonce: nonceOf(payload), reason })
    return response
  }
}
