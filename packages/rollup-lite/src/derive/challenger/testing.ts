/**
 * Set-up of the challenge and validation integration tests (Node only): a private anvil L1 with Seed's
 * deterministic contracts (its clock travels through challenge windows, which must not move the shared
 * devnet's clock under other files), an agent chain from the factory with a registered bridge config and
 * three guardians (2 of 3), a real rollup node and batcher whose sequencer key can be told to forge the
 * output root of its next posts.
 */
import {
  BRIDGE_CONFIG_PRESETS,
  type BridgeConfig,
  findMissingSeedContracts,
  RollupInboxAbi,
  RollupInboxFactoryAbi,
  registerBridgeConfig,
  seedAddresses,
  seedDeploymentCalls,
} from '@seed/contracts'
import { deployEntryPointV07, devAccount, startAnvil } from '@seed/devnet'
import {
  type Account,
  type Address,
  createPublicClient,
  createWalletClient,
  decodeFunctionData,
  defineChain,
  encodeFunctionData,
  type Hex,
  http,
  type LocalAccount,
  type PublicClient,
  parseEther,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { type Batcher, createBatcher } from '../../batch/batcher.ts'
import { channelSidecars } from '../../batch/blob-tx.ts'
import { nodeBlockSource } from '../../batch/node-source.ts'
import { createRollupNode, type RollupNode } from '../../create-node.ts'
import { blobsToChannel } from '../../protocol/codec/blob.ts'
import { decodeBatch, encodeBatch } from '../../protocol/codec/channel.ts'
import { devGenesis, parseGenesis } from '../../protocol/genesis-file.ts'
import { memoryKv } from '../../state/memory-kv.ts'
import { TEST_CHAIN_ID, TEST_KEYS } from '../../testing.ts'
import { createReplayExecutor } from '../replay.ts'
import { tickUntil } from '../testing.ts'
import type { SendL1Call } from './challenge-mismatch.ts'

export const genesisJson = devGenesis(
  TEST_CHAIN_ID,
  TEST_KEYS.map((k) => privateKeyToAccount(k).address),
)
export const genesis = parseGenesis(genesisJson)
export const newExecutor = () => createReplayExecutor({ kv: memoryKv(), genesis })

export async function startChallengeL1(chainId: number) {
  const anvil = await startAnvil({ chainId, hardfork: 'prague' })
  const chain = defineChain({
    id: chainId,
    name: `challenge ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [anvil.rpcUrl] } },
  })
  // Generous: anvil verifies each blob's KZG proof, slow on a busy machine.
  const transport = http(anvil.rpcUrl, { timeout: 60_000 })
  const l1 = createPublicClient({ chain, transport, pollingInterval: 50 }) as PublicClient

  /** A sender as the watcher wants one: sends from `account`, waits, throws on a revert. */
  const senderOf =
    (account: Account): SendL1Call =>
    async (call) => {
      const hash = await createWalletClient({ chain, transport, account }).sendTransaction(call)
      const receipt = await l1.waitForTransactionReceipt({ hash })
      if (receipt.status !== 'success') throw new Error(`reverted: ${hash}`)
      return hash
    }
  const fund = (address: Address, value = parseEther('10')) =>
    senderOf(devAccount('user'))({ to: address, data: '0x', value })
  const travel = async (seconds: bigint) => {
    await l1.request({ method: 'evm_increaseTime' as never, params: [Number(seconds)] as never })
    await l1.request({ method: 'evm_mine' as never, params: [] as never })
  }

  await deployEntryPointV07({
    publicClient: l1,
    walletClient: createWalletClient({ chain, transport, account: devAccount('deployer') }),
  } as never)
  for (const call of seedDeploymentCalls(await findMissingSeedContracts(l1))) {
    await senderOf(devAccount('deployer'))({ ...call, value: 0n })
  }
  return { l1, rpcUrl: anvil.rpcUrl, senderOf, fund, travel, stop: () => anvil.service.stop() }
}

export type ChallengeL1 = Awaited<ReturnType<typeof startChallengeL1>>

/**
 * An agent chain on `env`: inbox from the factory, bridge config (challenge window `challengeWindow`), a
 * rollup node and a batcher posting through a sequencer that forges the output root while `forge.root` is set.
 */
export async function startAgentChain(env: ChallengeL1, overrides: Partial<BridgeConfig> = {}) {
  const owner = privateKeyToAccount(generatePrivateKey())
  const sequencer = privateKeyToAccount(generatePrivateKey())
  const guardians = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()))
  await env.fund(owner.address)
  await env.fund(sequencer.address)
  await env.senderOf(owner)({
    to: seedAddresses().rollupInboxFactory,
    data: encodeFunctionData({ abi: RollupInboxFactoryAbi, functionName: 'createInbox', args: [sequencer.address] }),
    value: 0n,
  })
  const inbox = await env.l1.readContract({
    address: seedAddresses().rollupInboxFactory,
    abi: RollupInboxFactoryAbi,
    functionName: 'inboxOf',
    args: [owner.address],
  })
  const config: BridgeConfig = {
    ...BRIDGE_CONFIG_PRESETS.devnet,
    guardians: guardians.map((g) => g.address).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)),
    threshold: 2n,
    ...overrides,
  }
  await env.senderOf(owner)(registerBridgeConfig({ inbox, config }))

  /**
   * While `root` is set, every `postBatch` the sequencer signs claims it instead of the real output root; while
   * `blobs` is set, it carries blobs of another encoding of the batch than the one its CID names.
   */
  const forge: { root?: Hex; blobs?: boolean } = {}
  const forger: LocalAccount = {
    ...sequencer,
    signTransaction(tx, options) {
      if (forge.blobs) {
        const t = tx as typeof tx & { sidecars: { blob: Hex }[] }
        const other = channelSidecars(encodeBatch(decodeBatch(blobsToChannel(t.sidecars.map((s) => s.blob))), 1))
        const swapped = { ...tx, blobVersionedHashes: other.versionedHashes, sidecars: other.sidecars }
        return sequencer.signTransaction(swapped as typeof tx, options)
      }
      if (!forge.root || !tx.data) return sequencer.signTransaction(tx, options)
      const { args } = decodeFunctionData({ abi: RollupInboxAbi, data: tx.data })
      const [index, parent, first, last, , cid] = args as readonly [bigint, Hex, bigint, bigint, Hex, Hex]
      const data = encodeFunctionData({
        abi: RollupInboxAbi,
        functionName: 'postBatch',
        args: [index, parent, first, last, forge.root, cid],
      })
      return sequencer.signTransaction({ ...tx, data } as typeof tx, options)
    },
  }

  const kv = memoryKv()
  const node: RollupNode = await createRollupNode({ kv, genesis, blockTime: 0 })
  const batcher: Batcher = createBatcher({
    l1: env.l1,
    account: forger,
    chainId: node.chainId,
    source: nodeBlockSource(node),
    kv,
    inbox,
    policy: { maxChannelDurationMs: 0 },
  })
  /** Posts the blocks sealed so far as the next batch and waits until the inbox holds it. */
  async function postNextBatch() {
    await tickUntil(batcher, 'sent')
    await tickUntil(batcher, 'confirmed')
  }
  return { owner, sequencer, guardians, inbox, config, forge, node, postNextBatch, close: () => node.close() }
}
