/**
 * What one x402 payment from the wallet goes through, in order: x402.ts marks each as it ends (a User Timing
 * mark `x402:<stage>` in the service worker), the agent bench reads them for its breakdown.
 */
export const PAYMENT_STAGES = [
  'start',
  '402', // the unpaid request answered
  'parsed', // the challenge read and matched against what the wallet pays
  'reserved', // the grant's and the wallet's spend reserved (pipeline)
  'journaled', // the approved request record durable (pipeline)
  'signed', // the authorisation signed (pipeline)
  'settled', // the wallet's ledger settled (pipeline)
  'payload', // the pipeline's record done, the payment header built
  'answered', // the paid request answered (the seller settled through its facilitator)
  'done', // the body read and the payment in Activity
] as const
export type PaymentStage = (typeof PAYMENT_STAGES)[number]
