/** Browser-safe entry (wallet side): paying fetch, policy, activity log, smart-account signer, channel client. */
export { ChannelClientScheme, type OpenChannel } from './channel/client.ts'
export { CHANNEL_SCHEME, type ChannelPayload, voucherDigest, voucherTypedData } from './channel/voucher.ts'
export { type AaPaymentPolicyParameters, aaPaymentPolicy } from './client/aaPolicy.ts'
export { type ActivityLog, createActivityLog, type PaymentActivity } from './client/activityLog.ts'
export { type AuthorizationStateReader, authorizationStateAbi } from './client/handedOver.ts'
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
export { wrapFetchWithUpfrontPayment } from './client/upfrontFetch.ts'
export { ExactEvmReason } from './errorReasons.ts'
export { SeedX402Error } from './errors.ts'
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
  type CodeReader,
  type GenesisAlloc,
  type SeedUsdPredeploy,
  seedUsdAlloc,
  x402RollupAlloc,
} from './rollup/predeploys.ts'
