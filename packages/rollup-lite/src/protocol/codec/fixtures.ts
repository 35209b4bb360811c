/**
 * Deterministic signed L2 traffic for tests, golden vectors and benchmarks: real secp256k1
 * signatures over real EIP-1559 transactions (no shortcuts), so byte counts are honest.
 */
import { encodeFunctionData, erc20Abi, type Hex, keccak256, numberToHex, parseGwei, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { BatchBlock } from '../types.ts'

export const testKey = (seed: string, i: number): Hex => keccak256(toHex(`${seed}/${i}`))

/** xorshift32: reproducible pseudo-random numbers. */
export function rng(seed: number) {
  let x = seed || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
}

export type TrafficOptions = {
  chainId?: number
  senders?: number
  recipients?: number
  txs: number
  txsPerBlock?: number
  kind?: 'eth' | 'erc20'
  /** ERC-20 token address for kind 'erc20'. */
  token?: Hex
  seed?: number
  firstBlock?: bigint
  firstTimestamp?: bigint
}

/** Signed transfers from `senders` accounts to `recipients` accounts, grouped into blocks. */
export async function makeTraffic(o: TrafficOptions): Promise<BatchBlock[]> {
  const chainId = o.chainId ?? 42_069
  const random = rng(o.seed ?? 7)
  const senders = Array.from({ length: o.senders ?? 1000 }, (_, i) => privateKeyToAccount(testKey('sender', i)))
  const recipients = Array.from(
    { length: o.recipients ?? 100 },
    (_, i) => privateKeyToAccount(testKey('recipient', i)).address,
  )
  const nonces = new Map<number, number>()
  const perBlock = o.txsPerBlock ?? 100
  const blocks: BatchBlock[] = []
  let number = o.firstBlock ?? 1n
  let timestamp = o.firstTimestamp ?? 1_767_225_600n
  let current: Hex[] = []
  for (let i = 0; i < o.txs; i++) {
    const s = Math.floor(random() * senders.length)
    const nonce = nonces.get(s) ?? 0
    nonces.set(s, nonce + 1)
    const to = recipients[Math.floor(random() * recipients.length)]!
    // Amounts as wallets send them: three significant digits.
    const amount = BigInt(1 + Math.floor(random() * 999)) * 10n ** BigInt(12 + Math.floor(random() * 4))
    const fees = { maxFeePerGas: parseGwei('0.002'), maxPriorityFeePerGas: parseGwei('0.001') }
    const tx =
      o.kind === 'erc20'
        ? {
            to: o.token ?? '0x5FbDB2315678afecb367f032d93F642f64180aa3',
            data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] }),
            gas: 60_000n,
            value: 0n,
          }
        : { to, value: amount, gas: 21_000n }
    current.push(await senders[s]!.signTransaction({ type: 'eip1559', chainId, nonce, ...fees, ...tx }))
    if (current.length === perBlock || i === o.txs - 1) {
      blocks.push({ number, timestamp, transactions: current })
      current = []
      number++
      timestamp += 2n
    }
  }
  return blocks
}

export { numberToHex }
