/** RollupInbox on the devnet: who may post, in which order, and what it refuses. */
import { RollupInboxAbi, RollupInboxBytecode } from '@seed/contracts'
import { DEV_MNEMONIC } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import {
  type Address,
  type BaseError,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  type Hex,
  http,
  keccak256,
  parseEventLogs,
  toHex,
} from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { beforeAll, describe, expect, inject, test } from 'vitest'
import { channelSidecars } from './blob-tx.ts'
import { type BatchCall, estimateBlobFees, postBatchData, signBatchTransaction } from './post.ts'

const manifest = inject('manifest')
const transport = http(manifest.l1.rpcUrl)
const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
const owner = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 7 })
const sequencer = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 8 })
const stranger = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 6 })
const ownerWallet = createWalletClient({ chain: foundry, transport, account: owner })
const root = keccak256(toHex('state'))
const cid = toHex('bafk-test-cid')

let inbox: Address
beforeAll(async () => {
  const hash = await ownerWallet.deployContract({
    abi: RollupInboxAbi,
    bytecode: RollupInboxBytecode,
    args: [owner.address, sequencer.address],
  })
  inbox = (await publicClient.waitForTransactionReceipt({ hash })).contractAddress!
})

/**
 * eth_call postBatch as `from`; returns the custom error name or 'ok'. anvil's eth_call does not
 * expose blob hashes to BLOBHASH, so calls only probe the checks made before blobs are read.
 */
async function tryPost(call: BatchCall, from: Address = sequencer.address) {
  try {
    await publicClient.call({ account: from, to: inbox, data: postBatchData(call) })
    return 'ok'
  } catch (e) {
    const data = (e as BaseError).walk((x) => typeof (x as { data?: unknown }).data === 'string') as unknown as
      | { data: Hex }
      | undefined
    if (!data) throw e
    return decodeErrorResult({ abi: RollupInboxAbi, data: data.data }).errorName
  }
}

async function post(call: BatchCall, from = sequencer) {
  const blobs = channelSidecars(new TextEncoder().encode(`batch ${call.index}`))
  const nonce = await publicClient.getTransactionCount({ address: from.address, blockTag: 'pending' })
  const fees = await estimateBlobFees(publicClient)
  const tx = await signBatchTransaction(publicClient, from, { inbox, call, blobs, nonce, fees })
  await publicClient.sendRawTransaction({ serializedTransaction: tx.serialized })
  const receipt = await publicClient.waitForTransactionReceipt({ hash: tx.hash })
  return { receipt, blobs }
}

const first: BatchCall = {
  index: 0n,
  parentBatchHash: `0x${'00'.repeat(32)}`,
  firstBlock: 1n,
  lastBlock: 5n,
  outputRoot: root,
  cid,
}

describe('RollupInbox', () => {
  test('only the sequencer may post, and only the owner may change it', async () => {
    expect(await tryPost(first, stranger.address)).toBe('NotSequencer')
    const strangerWallet = createWalletClient({ chain: foundry, transport, account: stranger })
    await expect(
      strangerWallet.writeContract({
        address: inbox,
        abi: RollupInboxAbi,
        functionName: 'setSequencer',
        args: [stranger.address],
      }),
    ).rejects.toThrow(/OwnableUnauthorizedAccount/)
  })

  test('refuses bad input: no blobs, empty CID, zero output root, empty range', async () => {
    expect(await tryPost(first)).toBe('NoBlobs') // everything else is right
    expect(await tryPost({ ...first, cid: '0x' })).toBe('EmptyCid')
    expect(await tryPost({ ...first, outputRoot: `0x${'00'.repeat(32)}` })).toBe('ZeroOutputRoot')
    expect(await tryPost({ ...first, lastBlock: 0n })).toBe('EmptyRange')
    expect(await tryPost({ ...first, firstBlock: 2n })).toBe('RangeNotContiguous')
  })

  test('records a blob batch: blob versioned hashes read on chain, CID, range and output root', async () => {
    const { receipt, blobs } = await post(first)
    expect(receipt.status).toBe('success')
    const [event] = parseEventLogs({ abi: RollupInboxAbi, logs: receipt.logs, eventName: 'BatchPosted' })
    expect(event!.args.blobHashes).toEqual(blobs.versionedHashes)
    expect(event!.args.cid).toBe(cid)
    expect(event!.args).toMatchObject({ index: 0n, firstBlock: 1n, lastBlock: 5n, outputRoot: root })
    const head = await publicClient.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'head' })
    expect(head).toEqual([1n, event!.args.batchHash, 5n])
  })

  test('orders batches: index, parent hash and a gap-free block range', async () => {
    const [, parent] = await publicClient.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'head' })
    const next: BatchCall = { index: 1n, parentBatchHash: parent, firstBlock: 6n, lastBlock: 6n, outputRoot: root, cid }
    expect(await tryPost({ ...first })).toBe('WrongIndex') // a replayed batch 0
    expect(await tryPost({ ...next, index: 2n })).toBe('WrongIndex')
    expect(await tryPost({ ...next, parentBatchHash: root })).toBe('WrongParent')
    expect(await tryPost({ ...next, firstBlock: 7n, lastBlock: 9n })).toBe('RangeNotContiguous') // gap
    expect(await tryPost({ ...next, firstBlock: 5n })).toBe('RangeNotContiguous') // overlap
    expect((await post(next)).receipt.status).toBe('success')
  })

  test('a new sequencer takes over; the old one is refused', async () => {
    const hash = await ownerWallet.writeContract({
      address: inbox,
      abi: RollupInboxAbi,
      functionName: 'setSequencer',
      args: [stranger.address],
    })
    await publicClient.waitForTransactionReceipt({ hash })
    const [count, parent, last] = await publicClient.readContract({
      address: inbox,
      abi: RollupInboxAbi,
      functionName: 'head',
    })
    const next = {
      index: count,
      parentBatchHash: parent,
      firstBlock: last + 1n,
      lastBlock: last + 1n,
      outputRoot: root,
      cid,
    }
    expect(await tryPost(next)).toBe('NotSequencer')
    expect((await post(next, stranger)).receipt.status).toBe('success')
  })
})
