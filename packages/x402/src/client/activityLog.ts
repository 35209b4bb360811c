/**
 * The wallet's record of x402 payments: what was paid to whom for which URL, the facilitator's receipt
 * (`PAYMENT-RESPONSE`) and the settling transaction, or why a payment was refused. Append-only, in a
 * KeyValueStorage (chrome.storage / IndexedDB in the extension, files in Node).
 */
import type { KeyValueStorage } from '@seed/aa'

export type PaymentActivity = {
  at: string
  url: string
  network: string
  asset: string
  amount: string
  payTo: string
  payer?: string
  /** EIP-3009 authorisation nonce: the payment's identity on chain. */
  nonce?: string
  status: 'settled' | 'failed' | 'refused'
  transaction?: string
  reason?: string
  idempotencyKey?: string
}

export type ActivityLog = {
  append(entry: PaymentActivity): Promise<void>
  list(): Promise<PaymentActivity[]>
}

export function createActivityLog(storage: KeyValueStorage, key = 'x402/activity'): ActivityLog {
  let queue: Promise<unknown> = Promise.resolve()
  return {
    append(entry) {
      const run = queue.then(async () => {
        const entries = (await storage.get<PaymentActivity[]>(key)) ?? []
        entries.push(entry)
        await storage.set(key, entries)
      })
      queue = run.catch(() => undefined)
      return run
    },
    async list() {
      await queue
      return (await storage.get<PaymentActivity[]>(key)) ?? []
    },
  }
}
