/** The wallet's withdrawals with their stage read from L1 now (and the countdown's end while the window is open). */
import type { WithdrawalView } from '@seed/agent/api'
import { bridgeContext } from './chains.ts'
import { listWithdrawals } from './withdrawals.ts'

export async function status(): Promise<WithdrawalView[]> {
  return listWithdrawals(await bridgeContext())
}
