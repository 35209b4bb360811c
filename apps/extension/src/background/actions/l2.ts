/**
 * Sends a transaction on the rollup: the rollup account signs it (decision 0401), the node sequences it.
 * Signing and sending are separate steps so the signed tx can be journaled in between (decision 0413).
 */
import { type Address, type Hex, hexToBigInt, keccak256 } from 'viem'
import { accountService } from '../account/account.ts'
import { rollupService } from '../rollup/rollup.ts'

export type TxParams = { to?: Address; value?: Hex; data?: Hex; gas?: Hex }

export type SignedL2Transaction = { raw: Hex; hash: Hex }

export async function signL2Transaction(tx: TxParams): Promise<SignedL2Transaction> {
  const info = await accountService.info()
  if (!info) throw new Error('No account')
  const chainId = await rollupService.chainId()
  const nonce = Number(await rollupService.request('eth_getTransactionCount', [info.rollupAccount, 'pending']))
  const gasPrice = hexToBigInt((await rollupService.request('eth_gasPrice', [])) as Hex)
  const request = {
    from: info.rollupAccount,
    ...(tx.to ? { to: tx.to } : {}),
    value: tx.value ?? '0x0',
    data: tx.data ?? '0x',
  }
  const gas = tx.gas
    ? hexToBigInt(tx.gas)
    : hexToBigInt((await rollupService.request('eth_estimateGas', [request])) as Hex)
  const raw = await accountService.signL2Transaction({
    chainId,
    nonce,
    to: tx.to,
    value: tx.value ? hexToBigInt(tx.value) : 0n,
    data: tx.data,
    gas,
    maxFeePerGas: gasPrice * 2n,
    maxPriorityFeePerGas: 0n,
  })
  return { raw, hash: keccak256(raw) }
}

/**
 * Sends a signed tx; a re-send of one the node already has (or has already sequenced) is fine:
 * the same signed tx can only be executed once, so its hash is the answer either way.
 */
export async function submitL2Transaction({ raw, hash }: SignedL2Transaction): Promise<Hex> {
  try {
    return (await rollupService.request('eth_sendRawTransaction', [raw])) as Hex
  } catch (error) {
    if (await rollupService.request('eth_getTransactionByHash', [hash])) return hash
    throw error
  }
}
