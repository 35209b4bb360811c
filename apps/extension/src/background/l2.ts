/** Sends a transaction on the rollup: the owner EOA signs it (decision 0401), the node sequences it. */
import { type Address, type Hex, hexToBigInt } from 'viem'
import { accountService } from './account.ts'
import { rollupService } from './rollup.ts'

export type TxParams = { to?: Address; value?: Hex; data?: Hex; gas?: Hex }

export async function sendL2Transaction(tx: TxParams): Promise<Hex> {
  const info = await accountService.info()
  if (!info) throw new Error('No account')
  if (!tx.to) throw new Error('Contract creation is not supported on the rollup from the wallet')
  const chainId = await rollupService.chainId()
  const nonce = Number(await rollupService.request('eth_getTransactionCount', [info.owner, 'pending']))
  const gasPrice = hexToBigInt((await rollupService.request('eth_gasPrice', [])) as Hex)
  const request = { from: info.owner, to: tx.to, value: tx.value ?? '0x0', data: tx.data ?? '0x' }
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
  return (await rollupService.request('eth_sendRawTransaction', [raw])) as Hex
}
