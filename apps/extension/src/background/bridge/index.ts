/** The wallet's bridge (issue 15): deposit, withdraw, prove, finalize, and the withdrawals' status. */
export { deposit } from './deposit.ts'
export { finalize } from './finalize.ts'
export { prove } from './prove.ts'
export { status } from './status.ts'
export { withdraw } from './withdraw.ts'
