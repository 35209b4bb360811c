/** Node entry: facilitator, the seller's kit and the paid services, a local rollup for tests and benches. */
export {
  type ChannelFacilitatorOptions,
  ChannelFacilitatorScheme,
  ChannelReason,
  DEFAULT_CONTRACT_PAYER_MAX_UNCLAIMED,
  MIN_CLOSE_DELAY_SECONDS,
} from './channel/facilitator.ts'
export { createFileVoucherStore } from './channel/fileVoucherStore.ts'
export { recoverSigner } from './channel/recoverSigner.ts'
export { ChannelServerScheme } from './channel/server.ts'
export { createMemoryVoucherStore, type StoredVoucher, type VoucherStore } from './channel/voucherStore.ts'
export * from './facilitator/index.ts'
export { type LocalRollup, startLocalRollup } from './rollup/localRollup.ts'
export { SellerFacilitatorClient } from './sell/sellerFacilitatorClient.ts'
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
