/** The call that starts batching (decision 0405): the smart account creates its inbox and funds its batcher. */
import { RollupInboxFactoryAbi } from '@seed/contracts'
import { type Address, encodeFunctionData } from 'viem'
import type { Call } from '../../core/services.ts'
import { BATCHER_FUNDING } from './batcher-topup-plan.ts'

export const createInboxCall = (factory: Address, batcher: Address): Call => ({
  to: factory,
  value: BATCHER_FUNDING,
  data: encodeFunctionData({ abi: RollupInboxFactoryAbi, functionName: 'createInbox', args: [batcher] }),
})
