/**
 * For the bridge tests and bench: a private anvil L1 with Seed's deterministic contracts (its clock is travelled
 * through challenge and force windows, which must not shift the shared devnet's clock under other files), agent
 * chains (a RollupInbox from the factory, a registered bridge config, a sequencer posting real blob
 * transactions), and L2 message-passer state as a real secure storage trie (@ethereumjs/mpt).
 */
import { createRequire } from 'node:module'
import { createMerkleProof, createMPT } from '@ethereumjs/mpt'
import { deployEntryPointV07, devAccount, type Role, startAnvil } from '@seed/devnet'
import {
  type Account,
  type Address,
  type BaseError,
  blobsToCommitments,
  bytesToHex,
  commitmentsToVersionedHashes,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  defineChain,
  defineKzg,
  encodeFunctionData,
  type Hex,
  hexToBytes,
  http,
  keccak256,
  type PublicClient,
  parseEther,
  stringToHex,
  toBlobs,
  toHex,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import {
  BRIDGE_CONFIG_PRESETS,
  type BridgeConfig,
  findMissingSeedContracts,
  hashWithdrawal,
  L1StandardBridgeAbi,
  type OutputRootPreimage,
  outputRootOf,
  RollupInboxAbi,
  RollupInboxFactoryAbi,
  registerBridgeConfig,
  SeedPortalAbi,
  seedAddresses,
  seedDeploymentCalls,
  type Withdrawal,
  withdrawalStorageSlot,
} from '../src/index.ts'

const ckzg = createRequire(import.meta.url)('c-kzg') as {
  loadTrustedSetup(precompute: number): void
  blobToKzgCommitment(blob: Uint8Array): Uint8Array
  computeBlobKzgProof(blob: Uint8Array, commitment: Uint8Array): Uint8Array
}
ckzg.loadTrustedSetup(0)
const kzg = defineKzg({
  blobToKzgCommitment: (blob) => ckzg.blobToKzgCommitment(blob),
  computeBlobKzgProof: (blob, commitment) => ckzg.computeBlobKzgProof(blob, commitment),
})
/** The batches' data is not what these tests check: one blob, reused by every post. */
const blobs = toBlobs({ data: stringToHex('seed bridge test batch') })
const blobVersionedHashes = commitmentsToVersionedHashes({ commitments: blobsToCommitments({ blobs, kzg }) })
const maxFeePerBlobGas = parseEther('0.000001')

type CallRequest = {
  to: Address
  data: Hex
  value?: bigint
  blobVersionedHashes?: readonly Hex[]
  maxFeePerBlobGas?: bigint
}

export async function startBridgeL1(chainId = 31_415) {
  const anvil = await startAnvil({ chainId, hardfork: 'prague' })
  const chain = defineChain({
    id: chainId,
    name: `bridge ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [anvil.rpcUrl] } },
  })
  // Generous: anvil verifies each blob's KZG proof, slow on a busy machine.
  const transport = http(anvil.rpcUrl, { timeout: 60_000 })
  const l1 = createPublicClient({ chain, transport, pollingInterval: 50 }) as PublicClient
  const walletOf = (account: Account) => createWalletClient({ chain, transport, account })

  /** Sends a prepared call and waits for it; throws on a revert (simulated first, so the error is typed). */
  async function send(account: Account, call: { to: Address; data: Hex; value?: bigint }) {
    await rawCall(account, call)
    const hash = await walletOf(account).sendTransaction({ to: call.to, data: call.data, value: call.value, chain })
    const receipt = await l1.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`reverted: ${hash}`)
    return receipt
  }

  async function fund(address: Address, value = parseEther('10')) {
    await send(devAccount('user'), { to: address, data: '0x', value })
  }

  /** Moves the L1 clock (anvil) forward and mines a block at the new time. */
  async function travel(seconds: bigint) {
    await l1.request({ method: 'evm_increaseTime' as never, params: [Number(seconds)] as never })
    await l1.request({ method: 'evm_mine' as never, params: [] as never })
  }

  /** eth_call as `account`, raw (viem's `call` drops blob hashes, which `postBatch` reads with BLOBHASH). */
  function rawCall(account: Account, call: CallRequest) {
    const { to, data, value = 0n, blobVersionedHashes, maxFeePerBlobGas } = call
    const tx = {
      from: account.address,
      to,
      data,
      value: toHex(value),
      ...(blobVersionedHashes ? { blobVersionedHashes, maxFeePerBlobGas: toHex(maxFeePerBlobGas ?? 1n) } : {}),
    }
    return l1.request({ method: 'eth_call', params: [tx, 'latest'] } as never)
  }

  /** The custom error a call reverts with (its name and args), or throws if it does not revert. */
  async function revertOf(account: Account, call: CallRequest) {
    const error = await rawCall(account, call).then(
      () => undefined,
      (e: BaseError) => e,
    )
    if (!error) throw new Error('expected a revert')
    // The node's error carries the revert data (viem's RpcRequestError `data`).
    const withData = error.walk((e) => typeof (e as { data?: unknown }).data === 'string') as { data?: Hex } | null
    const data = withData?.data
    if (!data) throw error
    return decodeErrorResult({ abi: [...SeedPortalAbi, ...L1StandardBridgeAbi, ...RollupInboxAbi], data })
  }

  const deployer = walletOf(devAccount('deployer'))
  await deployEntryPointV07({ publicClient: l1, walletClient: deployer } as never)
  for (const call of seedDeploymentCalls(await findMissingSeedContracts(l1))) {
    await send(devAccount('deployer'), { ...call, value: 0n })
  }

  return {
    l1,
    chain,
    addresses: seedAddresses(),
    walletOf,
    rawCall,
    send,
    revertOf,
    fund,
    travel,
    dev: (role: Role) => devAccount(role),
    stop: () => anvil.service.stop(),
  }
}

export type BridgeL1 = Awaited<ReturnType<typeof startBridgeL1>>

/** A fresh agent chain: its owner, sequencer, three guardians (2 of 3), the inbox, and its registered config. */
export async function createAgentChain(env: BridgeL1, overrides: Partial<BridgeConfig> & { register?: boolean } = {}) {
  const owner = privateKeyToAccount(generatePrivateKey())
  const sequencer = privateKeyToAccount(generatePrivateKey())
  const guardians = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()))
  await env.fund(owner.address)
  await env.fund(sequencer.address)
  await env.send(owner, {
    to: env.addresses.rollupInboxFactory,
    data: encodeFunctionData({ abi: RollupInboxFactoryAbi, functionName: 'createInbox', args: [sequencer.address] }),
  })
  const inbox = await env.l1.readContract({
    address: env.addresses.rollupInboxFactory,
    abi: RollupInboxFactoryAbi,
    functionName: 'inboxOf',
    args: [owner.address],
  })
  const config: BridgeConfig = {
    ...BRIDGE_CONFIG_PRESETS.devnet,
    guardians: guardians.map((g) => g.address),
    threshold: 2n,
    ...overrides,
  }
  if (overrides.register !== false) await env.send(owner, registerBridgeConfig({ inbox, config }))

  /** The next batch's `postBatch` call, claiming `outputRoot` for one more L2 block. */
  async function nextBatchCall(outputRoot: Hex) {
    const [count, parent, lastBlock] = await env.l1.readContract({
      address: inbox,
      abi: RollupInboxAbi,
      functionName: 'head',
    })
    const args = [count, parent, lastBlock + 1n, lastBlock + 1n, outputRoot, '0x01'] as const
    return {
      index: count,
      to: inbox,
      data: encodeFunctionData({ abi: RollupInboxAbi, functionName: 'postBatch', args }),
    }
  }

  /** Posts the next batch with `outputRoot` as `poster` (the sequencer by default), in a real blob transaction. */
  async function postBatch(outputRoot: Hex, poster: Account = sequencer) {
    const { index, to, data } = await nextBatchCall(outputRoot)
    // Simulated with the blob hashes first (a revert throws here, typed); then sent with its blob.
    await env.rawCall(poster, { to, data, blobVersionedHashes, maxFeePerBlobGas })
    const hash = await env.walletOf(poster).sendTransaction({
      to,
      data,
      blobs,
      kzg,
      maxFeePerBlobGas,
      gas: 300_000n,
      chain: env.chain,
    })
    const receipt = await env.l1.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`postBatch reverted: ${hash}`)
    return { index, receipt }
  }

  /** The custom error posting the next batch as `poster` reverts with. */
  async function postBatchRevert(outputRoot: Hex, poster: Account) {
    const { to, data } = await nextBatchCall(outputRoot)
    return env.revertOf(poster, { to, data, blobVersionedHashes, maxFeePerBlobGas })
  }

  return { owner, sequencer, guardians, inbox, config, postBatch, postBatchRevert }
}

/**
 * L2 state for withdrawal proofs: the message passer's secure storage trie holding `sentMessages[hash] = true`
 * for each withdrawal, and an output root committing to it (state root and block hash are arbitrary: the
 * portal checks only the storage proof under the output's message-passer storage root).
 */
export async function messagePasserState(withdrawals: readonly Withdrawal[]) {
  const trie = await createMPT({ useKeyHashing: true })
  for (const w of withdrawals) {
    // Storage values are RLP of the trimmed word: true is the single byte 0x01.
    await trie.put(hexToBytes(withdrawalStorageSlot(hashWithdrawal(w))), Uint8Array.of(1))
  }
  const preimage: OutputRootPreimage = {
    stateRoot: keccak256(stringToHex(`state ${withdrawals.length}`)),
    messagePasserStorageRoot: bytesToHex(trie.root()),
    blockHash: keccak256(stringToHex(`block ${withdrawals.length}`)),
  }
  return {
    preimage,
    outputRoot: outputRootOf(preimage),
    proofOf: async (w: Withdrawal) =>
      (await createMerkleProof(trie, hexToBytes(withdrawalStorageSlot(hashWithdrawal(w))))).map((node) =>
        bytesToHex(node),
      ),
  }
}

let withdrawalCounter = 0n
/** An L2 withdrawal as the message passer numbers them (nonce with version 1 in the top 16 bits). */
export function l2Withdrawal(p: Partial<Withdrawal> & { target: Address }): Withdrawal {
  return {
    nonce: (1n << 240n) | withdrawalCounter++,
    sender: p.sender ?? p.target,
    value: 0n,
    gasLimit: 100_000n,
    data: '0x',
    ...p,
  }
}
