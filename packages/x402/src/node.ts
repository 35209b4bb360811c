/** Node entry: facilitator, the seller's kit and the paid services, a local rollup for tests and benches. */
export { ChannelFacilitatorScheme, ChannelReason } from './channel/facilitator.ts'
export { recoverSigner } from './channel/recoverSigner.ts'
export { ChannelServerScheme } from './channel/server.ts'
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
