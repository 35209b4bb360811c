/**
 * Paid rollup RPC: sells JSON-RPC access to a rollup-lite node per request. The body is forwarded as is;
 * the node's answer (result or JSON-RPC error) is returned, and the payment settles only on a 2xx answer.
 */
import type { SellServiceParameters, SoldService } from '../sell/sellService.ts'
import { sellService } from '../sell/sellService.ts'

export type SellRollupRpcParameters = Omit<SellServiceParameters, 'handler' | 'method' | 'path'> & {
  /** The node's JSON-RPC endpoint. */
  rpcUrl: string
}

export function sellRollupRpc(parameters: SellRollupRpcParameters): Promise<SoldService> {
  const { rpcUrl, ...rest } = parameters
  return sellService({
    description: 'Seed rollup JSON-RPC, paid per request',
    ...rest,
    method: 'POST',
    path: '/rpc',
    handler: async (req, res) => {
      const upstream = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(req.body),
      })
      res
        .status(upstream.ok ? 200 : 502)
        .type('application/json')
        .send(await upstream.text())
    },
  })
}
