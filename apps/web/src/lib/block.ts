import { BlockNotFoundError, type Client, type GetBlockReturnType } from 'viem'
import { getBlock, getBlockNumber } from 'viem/actions'

/**
 * A block with its transactions, or why not in words a person reads: a block past the head is
 * "not there yet" with the head's number, not viem's raw error.
 */
export async function blockOrReason(client: Client, blockNumber: bigint): Promise<GetBlockReturnType<undefined, true>> {
  try {
    return await getBlock(client, { blockNumber, includeTransactions: true })
  } catch (error) {
    if (!(error instanceof BlockNotFoundError)) throw error
    const head = await getBlockNumber(client, { cacheTime: 0 })
    throw new Error(`Block #${blockNumber} does not exist yet: this chain's head is #${head}.`)
  }
}
