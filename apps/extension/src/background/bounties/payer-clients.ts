/**
 * viem clients that let @seed/operator's payer (probeReplica, payEpoch, the feedback actions) run inside the
 * wallet without a key of its own: the L1 client's account is the smart account as a JSON-RPC account, so
 * its `eth_signTypedData_v4` and `eth_sendTransaction` come back here and go through the wallet's pipeline
 * (the voucher signer, the journaled op); every read goes to the L1 node. The sequencer client reads the
 * embedded rollup node, the truth a replica is held to.
 */
import type { TypedDataDefinition } from 'viem'
import { type Address, type Chain, createClient, custom, defineChain, type Hex, http } from 'viem'
import { ProviderRpcError } from '../../core/errors.ts'
import { rollupService } from '../rollup/rollup.ts'

export type PayerHandlers = {
  signTypedData(typedData: TypedDataDefinition & { primaryType: string }): Promise<Hex>
  sendTransaction(tx: { to: Address; data: Hex }): Promise<Hex>
}

export function payerClient(chain: Chain, account: Address, handlers: PayerHandlers) {
  const l1 = http(chain.rpcUrls.default.http[0])({ chain })
  return createClient({
    chain,
    account: { address: account, type: 'json-rpc' },
    pollingInterval: 100,
    transport: custom({
      async request({ method, params }: { method: string; params?: unknown }) {
        const args = (params ?? []) as unknown[]
        if (method === 'eth_signTypedData_v4') return handlers.signTypedData(JSON.parse(args[1] as string))
        if (method === 'eth_sendTransaction') return handlers.sendTransaction(args[0] as { to: Address; data: Hex })
        if (method === 'eth_accounts' || method === 'eth_requestAccounts') return [account]
        if (method.startsWith('eth_sign') || method === 'personal_sign' || method.startsWith('wallet_'))
          throw new ProviderRpcError(4200, `${method} is not the bounty payer's to ask`)
        return l1.request({ method, params } as never)
      },
    }),
  })
}

export function sequencerClient(chainId: number) {
  return createClient({
    chain: defineChain({
      id: chainId,
      name: 'embedded rollup',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [] } },
    }),
    transport: custom({
      request: ({ method, params }: { method: string; params?: unknown }) =>
        rollupService.request(method, (params ?? []) as unknown[]),
    }),
  })
}
