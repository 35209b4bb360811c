/**
 * A replica holds no mempool: `eth_sendRawTransaction` goes to the sequencer's RPC and its answer
 * (hash or JSON-RPC error, code kept) comes back as the replica's. Everything else the replica's
 * sequencer object is asked stays read-only (no timer, nothing admitted, nothing sealed).
 */
import type { Hex } from 'viem'
import { RpcCodes, RpcError } from '../chain/errors.ts'
import { Sequencer } from '../sequencer/sequencer.ts'

const FORWARD_TIMEOUT_MS = 15_000

export type ForwardTransaction = (raw: Uint8Array) => Promise<Hex>

export function forwardToSequencer(rpcUrl: string): ForwardTransaction {
  return async (raw) => {
    let answer: { result?: Hex; error?: { code: number; message: string; data?: unknown } }
    try {
      const res = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'eth_sendRawTransaction',
          params: [`0x${Buffer.from(raw).toString('hex')}`],
        }),
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      })
      answer = (await res.json()) as typeof answer
    } catch (e) {
      throw new RpcError(RpcCodes.server, `sequencer unreachable: ${(e as Error).message}`)
    }
    if (answer.error) throw new RpcError(answer.error.code, answer.error.message, answer.error.data)
    if (typeof answer.result !== 'string') throw new RpcError(RpcCodes.server, 'sequencer gave no tx hash')
    return answer.result
  }
}

/** A replica that knows no sequencer RPC (a browser's sequencer has none): it says so, typed. */
export const noSequencerRpc: ForwardTransaction = async () => {
  throw new RpcError(RpcCodes.server, "this replica knows no sequencer RPC: send transactions to the agent's wallet")
}

/** The replica's stand-in for the sequencer in the RPC context: admission is a forward. */
export class ForwardingSequencer extends Sequencer {
  forward: ForwardTransaction = async () => {
    throw new RpcError(RpcCodes.server, 'this replica forwards no transactions')
  }

  override async admit(raw: Uint8Array): Promise<{ hash: Hex; committed: Promise<void> }> {
    return { hash: await this.forward(raw), committed: Promise.resolve() }
  }

  override async sealNow(): Promise<undefined> {
    throw new RpcError(RpcCodes.methodNotFound, 'a replica seals no blocks')
  }
}
