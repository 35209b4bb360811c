/** `wallet.*`: the account's addresses and balances, sends on either chain and EIP-712 signatures. */

import type { Addresses, Balances, CallRequest, ChainName, Sent } from '@seed/agent/api'
import { type Address, encodeFunctionData, erc20Abi, formatEther, formatUnits, type Hex } from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'
import { stored } from '../../core/storage.ts'
import { accountService } from '../account/account.ts'
import { l1Client } from '../account/clients.ts'
import { l1ChainId } from '../provider/chains.ts'
import { rollupService } from '../rollup/rollup.ts'
import { actFor } from './act.ts'
import type { ResolvedCaller } from './caller.ts'

async function account() {
  const info = await accountService.info()
  if (!info) throw new ProviderRpcError(ErrorCode.unauthorized, 'No account yet: create one in the Seed popup.')
  return info
}

export async function addresses(): Promise<Addresses> {
  const info = await account()
  return {
    smartAccount: info.smartAccount,
    rollupAccount: info.rollupAccount,
    l1ChainId: await l1ChainId(),
    rollupChainId: info.rollup.chainId,
  }
}

const balanceOfData = (owner: Address) =>
  encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [owner] })

export async function balances(): Promise<Balances> {
  const info = await account()
  const usd = (await getDevnetConfig()).contracts.usd
  const client = await l1Client()
  const [eth, usds] = await Promise.all([
    client.getBalance({ address: info.smartAccount }),
    client.readContract({ address: usd, abi: erc20Abi, functionName: 'balanceOf', args: [info.smartAccount] }),
  ])
  let rollup: Balances['rollup']
  try {
    const [wei, usdRaw] = await Promise.all([
      rollupService.request('eth_getBalance', [info.rollupAccount, 'latest']) as Promise<Hex>,
      // Seed USD exists on a rollup only where its genesis predeploys it (decision 0503): "0x" is none.
      rollupService.request('eth_call', [
        { to: usd, data: balanceOfData(info.rollupAccount) },
        'latest',
      ]) as Promise<Hex>,
    ])
    rollup = { eth: formatEther(BigInt(wei)), usd: formatUnits(usdRaw === '0x' ? 0n : BigInt(usdRaw), 6) }
  } catch (error) {
    rollup = { error: (error as Error).message }
  }
  return { l1: { eth: formatEther(eth), usd: formatUnits(usds, 6) }, rollup }
}

/** L1: one atomic user op for all calls; the rollup: one transaction per call, in order. */
export async function sendCalls(caller: ResolvedCaller, chain: ChainName, calls: CallRequest[]): Promise<Sent[]> {
  if (chain === 'l1') {
    const { id } = (await actFor(caller, 'wallet_sendCalls', [{ calls }], 'l1')) as { id: string }
    const bundle = await stored.callsBundles.item(id).get()
    return [{ chain, hash: (bundle?.transactionHash ?? id) as Hex }]
  }
  const sent: Sent[] = []
  for (const call of calls) sent.push(await sendOnRollup(caller, call))
  return sent
}

export async function sendOnRollup(caller: ResolvedCaller, call: CallRequest): Promise<Sent> {
  const info = await account()
  const hash = (await actFor(caller, 'eth_sendTransaction', [{ from: info.rollupAccount, ...call }], 'rollup')) as Hex
  return { chain: 'rollup', hash }
}

export async function signTypedData(caller: ResolvedCaller, chain: ChainName, typedData: unknown) {
  const info = await account()
  const json = typeof typedData === 'string' ? typedData : JSON.stringify(typedData)
  const signer = chain === 'l1' ? info.smartAccount : info.rollupAccount
  const signature = (await actFor(caller, 'eth_signTypedData_v4', [signer, json], chain)) as Hex
  return { signature }
}
