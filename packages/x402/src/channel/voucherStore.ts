/**
 * Where the facilitator keeps the vouchers it accepted until they are claimed on chain. A voucher is
 * written here before the seller is told it is paid: lost, the seller served for nothing, and a restarted
 * facilitator would accept the same vouchers again.
 */
import type { Hex } from 'viem'

export type StoredVoucher = { cumulative: bigint; signature: Hex }

export type VoucherStore = {
  /** Every voucher saved, by key (the scheme uses `<network>:<contract>:<channelId>`). */
  load(): Promise<Map<string, StoredVoucher>>
  /** Resolves once the voucher is durable. */
  save(key: string, voucher: StoredVoucher): Promise<void>
}

/** Memory only: for tests and for facilitators that accept losing vouchers on restart. */
export function createMemoryVoucherStore(): VoucherStore {
  const vouchers = new Map<string, StoredVoucher>()
  return {
    load: async () => new Map(vouchers),
    save: async (key, voucher) => {
      vouchers.set(key, voucher)
    },
  }
}
