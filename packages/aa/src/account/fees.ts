import type { Client } from 'viem'
import { SeedAaError } from '../errors.ts'

export type UserOperationGasPrice = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
type Tier = { maxFeePerGas: `0x${string}`; maxPriorityFeePerGas: `0x${string}` }

/** The bundler's fee suggestion (alto and Pimlico: `pimlico_getUserOperationGasPrice`), `fast` tier. */
export async function getUserOperationGasPrice(
  bundler: Pick<Client, 'request'>,
  tier: 'slow' | 'standard' | 'fast' = 'fast',
): Promise<UserOperationGasPrice> {
  const prices = (await bundler.request({ method: 'pimlico_getUserOperationGasPrice' } as never)) as Record<
    string,
    Tier
  >
  const price = prices?.[tier]
  if (!price) throw new SeedAaError('The bundler returned no user operation gas price.')
  return { maxFeePerGas: BigInt(price.maxFeePerGas), maxPriorityFeePerGas: BigInt(price.maxPriorityFeePerGas) }
}
