/** x402 `channel` scheme, seller side: prices are token amounts; the channel contract comes from the facilitator. */
import type {
  AssetAmount,
  Network,
  PaymentRequirements,
  Price,
  SchemeNetworkServer,
  SupportedKind,
} from '@x402/core/types'
import { SeedX402Error } from '../errors.ts'
import { CHANNEL_SCHEME } from './voucher.ts'

export class ChannelServerScheme implements SchemeNetworkServer {
  readonly scheme = CHANNEL_SCHEME
  readonly defaultAssetTransferMethod = 'voucher'
  readonly paymentFlows = { voucher: { supported: ['authorization'], default: 'authorization' } } as const

  async parsePrice(price: Price, _network: Network): Promise<AssetAmount> {
    if (typeof price === 'object' && price !== null && 'asset' in price) return price
    throw new SeedX402Error('channel prices must be {asset, amount} in token base units')
  }

  async enhancePaymentRequirements(requirements: PaymentRequirements, supported: SupportedKind) {
    return { ...requirements, extra: { ...supported.extra, ...requirements.extra } }
  }
}
