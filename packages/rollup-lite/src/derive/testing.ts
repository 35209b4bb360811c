/** Shared set-up of the batch/derive integration tests (Node only). */
import { RollupInboxAbi, RollupInboxBytecode } from '@seed/contracts'
import { DEV_MNEMONIC, type Manifest } from '@seed/devnet'
import { type Address, createPublicClient, createWalletClient, type Hex, http, parseEther } from 'viem'
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { type Batcher, type BatcherEvent, type BatcherOptions, createBatcher } from '../batch/batcher.ts'
import { nodeBlockSource } from '../batch/node-source.ts'
import type { RollupNode } from '../create-node.ts'
import { httpPinner } from '../ipfs/pinner.ts'
import type { KV } from '../state/kv.ts'
import { TEST_KEYS } from '../testing.ts'

export const l1Sequencer = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 8 })

export function l1Clients(manifest: Manifest) {
  const transport = http(manifest.l1.rpcUrl, { timeout: 60_000 })
  return {
    publicClient: createPublicClient({ chain: foundry, transport, pollingInterval: 50 }),
    owner: createWalletClient({
      chain: foundry,
      transport,
      account: mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 7 }),
    }),
  }
}

/** A fresh inbox per test file, so files never share batch history. */
export async function deployInbox(manifest: Manifest): Promise<Address> {
  const { publicClient, owner } = l1Clients(manifest)
  const hash = await owner.deployContract({
    abi: RollupInboxAbi,
    bytecode: RollupInboxBytecode,
    args: [owner.account.address, l1Sequencer.address],
  })
  return (await publicClient.waitForTransactionReceipt({ hash })).contractAddress!
}

/** Sends `count` signed L2 transfers from the funded test keys and seals them into `blocks` blocks. */
export async function makeL2Blocks(node: RollupNode, count: number, blocks: number, salt = 0): Promise<void> {
  const senders = TEST_KEYS.map((k) => privateKeyToAccount(k))
  const nonces = await Promise.all(
    senders.map(async (s) =>
      Number(BigInt((await node.request('eth_getTransactionCount', [s.address, 'pending'])) as Hex)),
    ),
  )
  const perBlock = Math.ceil(count / blocks)
  let batch: unknown[] = []
  for (let i = 0; i < count; i++) {
    const s = i % senders.length
    const raw = await senders[s]!.signTransaction({
      chainId: Number(node.chainId),
      nonce: nonces[s]!++,
      to: `0x${(1000 + salt * 100 + (i % 50)).toString(16).padStart(40, '0')}`,
      value: parseEther('0.001') * BigInt(1 + (i % 7)),
      gas: 21_000n,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 1n,
    })
    batch.push({ jsonrpc: '2.0', id: i, method: 'eth_sendRawTransaction', params: [raw] })
    // One JSON-RPC batch is one group commit: one block.
    if ((i + 1) % perBlock === 0 || i === count - 1) {
      const answers = (await node.handle(batch)) as { error?: { message: string } }[]
      const failed = answers.find((a) => a.error)
      if (failed) throw new Error(`makeL2Blocks: ${failed.error?.message}`)
      batch = []
    }
  }
  await node.flushed()
}

export function testBatcher(
  manifest: Manifest,
  o: { node: RollupNode; kv: KV; inbox: Address } & Partial<BatcherOptions>,
): { batcher: Batcher; events: BatcherEvent[] } {
  const events: BatcherEvent[] = []
  const batcher = createBatcher({
    l1: l1Clients(manifest).publicClient,
    account: l1Sequencer,
    chainId: o.node.chainId,
    source: nodeBlockSource(o.node),
    ipfs: httpPinner(manifest.services.ipfsHttp!, { signer: l1Sequencer }),
    policy: { maxChannelDurationMs: 0 },
    log: (e) => events.push(e),
    ...o,
  })
  return { batcher, events }
}

/** Ticks until the batcher reports `until` (or fails after `max` ticks). */
export async function tickUntil(batcher: Batcher, until: BatcherEvent['type'], max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await batcher.tick()) === until) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`batcher never reached '${until}'`)
}
