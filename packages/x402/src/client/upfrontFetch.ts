/**
 * Pays up front: after the first 402 from a resource, later requests to it carry a payment for the
 * remembered requirements on the first attempt, saving the challenge round trip (x402 servers accept a
 * `PAYMENT-SIGNATURE` on any request). A fresh 402 refreshes the remembered challenge and pays once more.
 * Meant for the `channel` scheme, where a voucher for a stale challenge costs nothing if refused.
 */
import { type x402Client, x402HTTPClient } from '@x402/core/client'
import type { PaymentRequired } from '@x402/core/types'

export function wrapFetchWithUpfrontPayment(fetch: typeof globalThis.fetch, client: x402Client) {
  const http = new x402HTTPClient(client)
  const challenges = new Map<string, PaymentRequired>()
  const key = (request: Request) => `${request.method} ${request.url.split('?')[0]}`

  const payAndSend = async (request: Request, challenge: PaymentRequired) => {
    const payload = await http.createPaymentPayload(challenge)
    const paid = request.clone()
    for (const [name, value] of Object.entries(http.encodePaymentSignatureHeader(payload)))
      paid.headers.set(name, value)
    return fetch(paid)
  }

  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    const known = challenges.get(key(request))
    const first = known ? await payAndSend(request, known) : await fetch(request.clone())
    if (first.status !== 402) return first
    const body = await first.text().catch(() => '')
    const challenge = http.getPaymentRequiredResponse(
      (name) => first.headers.get(name),
      body ? JSON.parse(body) : undefined,
    )
    challenges.set(key(request), challenge)
    return payAndSend(request, challenge)
  }
}
