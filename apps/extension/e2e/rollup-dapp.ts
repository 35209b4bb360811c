/**
 * The dApp on the agent's embedded rollup, shared by the rollup e2e files: JSON-RPC through the
 * wallet, switching the dApp to the rollup, funding an address from a dev account (dev-flag builds).
 */
import { devAccount } from '@seed/devnet'
import type { BrowserContext, Page } from 'playwright-core'
import type { Address, Hex } from 'viem'
import type { Dapp } from './dapp/dapp.ts'
import { approveNextRequest } from './harness.ts'

declare global {
  interface Window {
    dapp: Dapp
  }
}

export type RollupRpc = (method: string, params?: unknown[]) => Promise<Hex>

/** JSON-RPC from the dApp through the wallet; a wallet error fails the call. */
export function rollupRpc(dapp: Page): RollupRpc {
  return async (method, params = []) => {
    const answer = await dapp.evaluate(([m, p]) => window.dapp.request(m as string, p as unknown[]), [method, params])
    if (!answer.ok) throw new Error(`${method}: ${answer.message}`)
    return answer.value as Hex
  }
}

/**
 * Switches the connected dApp to the agent's rollup (approving the switch like a user: each origin
 * is asked once) and returns the account it sees there.
 */
export async function switchToRollup(dapp: Page, context: BrowserContext, chainId: number): Promise<Address> {
  const switched = (await approveNextRequest(context, () =>
    dapp.evaluate((id) => window.dapp.switchChain(id), chainId),
  )) as Awaited<ReturnType<Dapp['switchChain']>>
  if (!switched.ok) throw new Error(`wallet_switchEthereumChain: ${switched.message}`)
  const accounts = (await dapp.evaluate(() => window.dapp.request('eth_accounts'))) as { ok: true; value: Address[] }
  return accounts.value[0]!
}

/**
 * A devnet account (funded in the rollup's genesis of a dev-flag build) sends `value` to `to`: a
 * signed tx passing through the wallet.
 */
export async function fundOnRollup(dapp: Page, to: Address, value: bigint): Promise<Hex> {
  const rpc = rollupRpc(dapp)
  const funder = devAccount('user')
  const gasPrice = BigInt(await rpc('eth_gasPrice'))
  const raw = await funder.signTransaction({
    chainId: Number(await rpc('eth_chainId')),
    type: 'eip1559',
    nonce: Number(await rpc('eth_getTransactionCount', [funder.address, 'pending'])),
    to,
    value,
    gas: 21_000n,
    maxFeePerGas: gasPrice * 2n,
    maxPriorityFeePerGas: 0n,
  })
  const hash = await rpc('eth_sendRawTransaction', [raw])
  const receipt = await dapp.evaluate((h) => window.dapp.waitForReceipt(h), hash)
  if (!receipt.ok) throw new Error(`funding receipt: ${receipt.message}`)
  return hash
}
