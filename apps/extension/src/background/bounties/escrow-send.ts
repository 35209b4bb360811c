/** One L1 send to the bounty escrow as the caller's (the action pipeline: policy, approval, journal), and its receipt. */
import type { Address, Hex, Log } from 'viem'
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'
import { l1Client } from '../account/clients.ts'
import type { ResolvedCaller } from '../agent/caller.ts'
import { sendCalls } from '../agent/wallet.ts'

export async function sendToEscrow(
  caller: ResolvedCaller,
  calls: { to: Address; data: Hex }[],
): Promise<{ tx: Hex; logs: Log[]; blockNumber: bigint }> {
  const [sent] = await sendCalls(caller, 'l1', calls)
  if (!sent) throw new ProviderRpcError(ErrorCode.internal, 'The send returned nothing.')
  const receipt = await (await l1Client()).waitForTransactionReceipt({ hash: sent.hash })
  if (receipt.status !== 'success')
    throw new ProviderRpcError(ErrorCode.internal, `The escrow transaction ${sent.hash} reverted.`)
  return { tx: sent.hash, logs: receipt.logs, blockNumber: receipt.blockNumber }
}
