/**
 * The Bridge screen's messages (`ui:bridge*`, extension pages only). A person's click in the wallet is a caller
 * like any other: its sends go through the one action pipeline and its approval window, named "Seed · Bridge".
 */
import type { Handlers } from '../../core/messenger.ts'
import type { BackgroundProtocol } from '../../core/protocol.ts'
import type { ResolvedCaller } from '../agent/caller.ts'
import { bridgeBalances } from './balances.ts'
import { bridgeContext } from './chains.ts'
import { deposit } from './deposit.ts'
import { finalize } from './finalize.ts'
import { prove } from './prove.ts'
import { withdraw } from './withdraw.ts'
import { listWithdrawals } from './withdrawals.ts'

const WALLET_UI: ResolvedCaller = { origin: 'Seed · Bridge' }

export const bridgeHandlers: Pick<
  Handlers<BackgroundProtocol>,
  'ui:bridge' | 'ui:bridgeDeposit' | 'ui:bridgeWithdraw' | 'ui:bridgeProve' | 'ui:bridgeFinalize'
> = {
  async 'ui:bridge'() {
    const ctx = await bridgeContext()
    const [withdrawals, balances] = await Promise.all([listWithdrawals(ctx), bridgeBalances(ctx)])
    return { withdrawals, balances, inbox: ctx.inbox }
  },
  'ui:bridgeDeposit': (params) => deposit(WALLET_UI, params),
  'ui:bridgeWithdraw': (params) => withdraw(WALLET_UI, params),
  'ui:bridgeProve': (params) => prove(WALLET_UI, params),
  'ui:bridgeFinalize': (params) => finalize(WALLET_UI, params),
}
