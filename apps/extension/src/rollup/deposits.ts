/**
 * Deposits into the agent's embedded chain (rollup-lite SPEC.md §10.2). The node starts at wallet creation,
 * before its inbox exists, with a deferred feed: its blocks carry origin 0 (the switch-over rule) until
 * batching names the inbox; from then on the feed reads the portal's deposits over the batcher's L1 RPC and
 * moves origins. The feed resumes from the head's origin after a restart (it is in the head block), and the
 * deposits the blocks included are logged in the node's IndexedDB for the wallet's bridge screens.
 */
import {
  deferredDepositSource,
  type KV,
  l1OriginOf,
  parseDepositTransaction,
  portalDepositSource,
  type RollupNode,
} from '@seed/rollup-lite'
import { type Address, bytesToHex, createPublicClient, http } from 'viem'
import type { BatcherSetup, DepositsState, IncludedDeposit } from './worker-api.ts'

const LOG_KEY = 'extension/deposits'
const KEEP_DEPOSITS = 50
const DEPOSIT_TX_TYPE = 0x7e

const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))
const decode = <T>(raw: Uint8Array | undefined): T | undefined =>
  raw ? (JSON.parse(new TextDecoder().decode(raw)) as T) : undefined

export type WorkerDeposits = {
  /** Starts reading the inbox's deposits (idempotent per inbox). */
  follow(setup: Pick<BatcherSetup, 'inbox' | 'l1RpcUrl'>): void
  state(): Promise<DepositsState>
}

/** The feed to create the node with, and what follows it once the node exists. */
export function workerDepositFeed() {
  const source = deferredDepositSource()
  return {
    source,
    start(node: RollupNode, kv: KV): WorkerDeposits {
      let inbox: Address | undefined
      // The log is read-modified-written per sealed block: one at a time.
      let logLock: Promise<unknown> = Promise.resolve()
      node.onBlockSealed((block, receipts) => {
        const included: IncludedDeposit[] = []
        block.transactions.forEach((raw, i) => {
          if (raw[0] !== DEPOSIT_TX_TYPE) return
          const tx = parseDepositTransaction(bytesToHex(raw))
          included.push({
            l2Hash: block.transactionHashes[i]!,
            l2Block: Number(block.header.number),
            l1Origin: Number(l1OriginOf(block.header) ?? 0n),
            sourceHash: tx.sourceHash,
            from: tx.from,
            to: tx.to,
            mint: tx.mint.toString(),
            status: receipts[i]?.status === 1 ? 'success' : 'reverted',
          })
        })
        if (included.length === 0) return
        logLock = logLock
          .then(async () => {
            const log = decode<IncludedDeposit[]>(await kv.get(LOG_KEY)) ?? []
            const next = [...included.reverse(), ...log].slice(0, KEEP_DEPOSITS)
            await kv.batch([{ type: 'put', key: LOG_KEY, value: encode(next) }])
          })
          .catch(() => {}) // the chain holds the deposits either way; the log is a convenience
      })
      return {
        follow(setup) {
          if (inbox === setup.inbox) return
          inbox = setup.inbox
          source.attach(portalDepositSource(createPublicClient({ transport: http(setup.l1RpcUrl) }), { inbox }))
        },
        async state() {
          const head = node.status().head
          const headBlock = await node.block(head.number)
          return {
            following: inbox ?? null,
            head: Number(head.number),
            l1Origin: Number((headBlock && l1OriginOf(headBlock.header)) ?? 0n),
            deposits: decode<IncludedDeposit[]>(await kv.get(LOG_KEY)) ?? [],
          }
        },
      }
    },
  }
}
