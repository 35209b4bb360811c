export { ChannelClientScheme, type OpenChannel } from './channel/client.ts'
export { ChannelFacilitatorScheme, ChannelReason } from './channel/facilitator.ts'
export { ChannelServerScheme } from './channel/server.ts'
export { CHANNEL_SCHEME, type ChannelPayload, voucherTypedData } from './channel/voucher.ts'
export { type ActivityLog, createActivityLog, type PaymentActivity } from './client/activityLog.ts'
export {
  AlreadyPaidError,
  createPayingFetch,
  type IdempotencyRecord,
  type PaidResponse,
  type PayingFetchParameters,
  type PayingRequestInit,
  PaymentRefusedError,
} from './client/payingFetch.ts'
export {
  createPaymentPolicy,
  type PaymentIntent,
  type PaymentPolicyEngine,
  type PaymentRules,
  type PolicyDecision,
} from './client/policy.ts'
export {
  type SeedAccountSignerParameters,
  seedMessageTypedData,
  toSeedAccountSigner,
} from './client/smartAccountSigner.ts'
export { ExactEvmReason } from './errorReasons.ts'
export { SeedX402Error } from './errors.ts'
export * from './facilitator/index.ts'
export {
  type Caip2,
  caip2,
  chainIdOf,
  MULTICALL3_ADDRESS,
  SEED_USD_DECIMALS,
  SEED_USD_DOMAIN,
  usdPrice,
} from './networks.ts'
export {
  createServiceApp,
  type SellServiceParameters,
  type ServicePrice,
  type SoldService,
  sellService,
  x402Cors,
} from './sell/sellService.ts'
export { PaidPinError, paidPinner, type SellPinningParameters, sellPinning } from './services/pinning.ts'
export { type SellRollupRpcParameters, sellRollupRpc } from './services/rollupRpc.ts'
export { type BatchRange, type SellVerificationParameters, sellVerification } from './services/verification.ts'
