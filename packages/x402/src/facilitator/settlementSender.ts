/**
 * Sends the facilitator's settlement transactions and hands their receipts to @x402/evm, which asks for the
 * receipt right after the send.
 *
 * Where the node has EIP-7966's `eth_sendRawTransactionSync` (rollup-lite does) the send answers with the
 * receipt: rollup-lite answers a send once its tx's block is durable (decisions 0108/0109), so the receipt
 * exists then and a second round trip to fetch it would only add latency. The receipt is kept until
 * @x402/evm asks for it. A node without the method (JSON-RPC "method not found") gets
 * `eth_sendRawTransaction` and direct receipt polls from then on.
 *
 * A send refused as "nonce too low" is tried once more (`retryStaleNonce`).
 */
import {
  BaseError,
  type Hex,
  MethodNotFoundRpcError,
  type TransactionReceipt,
  TransactionReceiptNotFoundError,
} from 'viem'
import { retryStaleNonce } from './retryStaleNonce.ts'

/** Receipts sent back with their transaction that nobody asked for yet (a settlement asks at once). */
const MAX_UNCLAIMED_RECEIPTS = 1_000

type SettlementClient = {
  writeContract(request: never): Promise<Hex>
  writeContractSync(request: never): Promise<TransactionReceipt>
  getTransactionReceipt(args: { hash: Hex }): Promise<TransactionReceipt>
}

export function settlementSender(client: SettlementClient, pollingIntervalMs: number) {
  let syncSupported = true
  const unclaimed = new Map<Hex, TransactionReceipt>()

  const sendOnce = async (request: object): Promise<Hex> => {
    if (syncSupported) {
      try {
        // A reverted settlement is reported with its hash (@x402/evm checks the status), not thrown.
        const receipt = await client.writeContractSync({ ...request, throwOnReceiptRevert: false } as never)
        if (unclaimed.size >= MAX_UNCLAIMED_RECEIPTS) unclaimed.delete(unclaimed.keys().next().value as Hex)
        unclaimed.set(receipt.transactionHash, receipt)
        return receipt.transactionHash
      } catch (error) {
        if (!isError(error, (e) => e instanceof MethodNotFoundRpcError)) throw error
        syncSupported = false
      }
    }
    return client.writeContract(request as never)
  }

  return {
    write: (request: object): Promise<Hex> => retryStaleNonce(() => sendOnce(request)),

    /** The receipt the send brought back, or the node's, polled directly (viem's own wait looks again only when the block number moves). */
    async receipt(hash: Hex, timeoutMs = 60_000): Promise<TransactionReceipt> {
      const landed = unclaimed.get(hash)
      if (landed) {
        unclaimed.delete(hash)
        return landed
      }
      const deadline = Date.now() + timeoutMs
      for (;;) {
        try {
          return await client.getTransactionReceipt({ hash })
        } catch (error) {
          if (!(error instanceof TransactionReceiptNotFoundError) || Date.now() > deadline) throw error
        }
        await new Promise((r) => setTimeout(r, pollingIntervalMs))
      }
    },
  }
}

const isError = (error: unknown, match: (e: unknown) => boolean) =>
  error instanceof BaseError && error.walk(match) !== null
