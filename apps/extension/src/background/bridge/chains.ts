/** What every bridge action reads: the account, its rollup's inbox, Seed USD, and viem clients for both chains. */
import { createPublicClient, custom } from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'
import { accountService } from '../account/account.ts'
import { l1Client } from '../account/clients.ts'
import { rollupService } from '../rollup/rollup.ts'

/** The embedded node as a viem client (eth_getProof, receipts, logs go through the offscreen hop). */
export const rollupClient = () =>
  createPublicClient({
    transport: custom({ request: ({ method, params }) => rollupService.request(method, params ?? []) }),
  })

export async function bridgeContext() {
  const info = await accountService.info()
  if (!info) throw new ProviderRpcError(ErrorCode.unauthorized, 'No account yet: create one in the Seed popup.')
  const [l1, config] = await Promise.all([l1Client(), getDevnetConfig()])
  return {
    l1,
    l2: rollupClient(),
    inbox: info.rollup.inbox,
    smartAccount: info.smartAccount,
    rollupAccount: info.rollupAccount,
    usd: config.contracts.usd,
  }
}

export type BridgeContext = Awaited<ReturnType<typeof bridgeContext>>
