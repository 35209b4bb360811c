/** Pre-signed transaction sets for benchmarks (signing is not what is measured). */
import { type Hex, parseGwei } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import type { Genesis } from '../chain/types.ts'

export const BENCH_CHAIN_ID = 31338

export type Signer = { key: Hex; address: Hex }

export function makeSigners(count: number): Signer[] {
  return Array.from({ length: count }, () => {
    const key = generatePrivateKey()
    return { key, address: privateKeyToAccount(key).address }
  })
}

export function benchGenesis(signers: readonly Signer[], extra: Genesis['alloc'] = {}): Genesis {
  return {
    chainId: BENCH_CHAIN_ID,
    timestamp: 1_700_000_000,
    alloc: { ...Object.fromEntries(signers.map((s) => [s.address, { balance: 10n ** 24n }])), ...extra },
  }
}

/** `perSender` ETH transfers from each signer (nonces 0..perSender-1), interleaved by nonce. */
export async function signTransfers(signers: readonly Signer[], perSender: number, startNonce = 0): Promise<Hex[]> {
  const out: Hex[] = []
  const accounts = signers.map((s) => privateKeyToAccount(s.key))
  for (let n = 0; n < perSender; n++) {
    for (const [i, account] of accounts.entries()) {
      out.push(
        await account.signTransaction({
          type: 'eip1559',
          chainId: BENCH_CHAIN_ID,
          // Above the precompiles: a transfer to 0x01…0x11 runs the precompile and fails out of gas.
          to: `0x${(0x10000 + i).toString(16).padStart(40, '0')}`,
          value: 1n,
          nonce: startNonce + n,
          gas: 21_000n,
          maxFeePerGas: parseGwei('100'),
          maxPriorityFeePerGas: 1n,
        }),
      )
    }
  }
  return out
}
