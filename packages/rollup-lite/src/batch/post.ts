/**
 * Signs and sends the batch's type-3 transaction: `RollupInbox.postBatch(...)` carrying the
 * channel's blobs. Nonce and fees are explicit so that a stuck transaction can be replaced
 * at the same nonce (SPEC.md "Posting").
 */
import { RollupInboxAbi } from '@seed/contracts'
import {
  type Address,
  encodeFunctionData,
  type Hex,
  keccak256,
  type LocalAccount,
  type PublicClient,
  parseGwei,
  parseTransaction,
  serializeTransaction,
} from 'viem'
import type { BlobSidecars } from './blob-tx.ts'

export type BlobFees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; maxFeePerBlobGas: bigint }

export type BatchCall = {
  index: bigint
  parentBatchHash: Hex
  firstBlock: bigint
  lastBlock: bigint
  outputRoot: Hex
  cid: Hex
}

export const postBatchData = (c: BatchCall) =>
  encodeFunctionData({
    abi: RollupInboxAbi,
    functionName: 'postBatch',
    args: [c.index, c.parentBatchHash, c.firstBlock, c.lastBlock, c.outputRoot, c.cid],
  })

/** Twice what the next block charges, so a fee rise of a few blocks does not strand the tx. */
export async function estimateBlobFees(client: PublicClient): Promise<BlobFees> {
  const [block, tip, blobBaseFee] = await Promise.all([
    client.getBlock({ blockTag: 'latest' }),
    client.estimateMaxPriorityFeePerGas().catch(() => parseGwei('1')),
    client.getBlobBaseFee(),
  ])
  const baseFee = block.baseFeePerGas ?? 0n
  return {
    maxFeePerGas: baseFee * 2n + tip,
    maxPriorityFeePerGas: tip,
    maxFeePerBlobGas: blobBaseFee * 2n > parseGwei('1') ? blobBaseFee * 2n : parseGwei('1'),
  }
}

/** geth's blob pool only replaces a blob tx if every fee cap is at least doubled. */
export function bumpBlobFees(f: BlobFees): BlobFees {
  return {
    maxFeePerGas: f.maxFeePerGas * 2n + 1n,
    maxPriorityFeePerGas: f.maxPriorityFeePerGas * 2n + 1n,
    maxFeePerBlobGas: f.maxFeePerBlobGas * 2n + 1n,
  }
}

export type SignedBatchTx = { hash: Hex; serialized: Hex; nonce: number; fees: BlobFees; gas: bigint }

export async function signBatchTransaction(
  client: PublicClient,
  account: LocalAccount,
  p: { inbox: Address; call: BatchCall; blobs: BlobSidecars; nonce: number; fees: BlobFees; gas?: bigint },
): Promise<SignedBatchTx> {
  const data = postBatchData(p.call)
  const gas =
    p.gas ??
    (await client
      .estimateGas({
        account: account.address,
        to: p.inbox,
        data,
        blobVersionedHashes: p.blobs.versionedHashes,
        maxFeePerBlobGas: p.fees.maxFeePerBlobGas,
      })
      .then((g) => (g * 12n) / 10n)
      .catch(() => 300_000n))
  const tx = {
    type: 'eip4844',
    chainId: client.chain!.id,
    nonce: p.nonce,
    gas,
    to: p.inbox,
    data,
    ...p.fees,
    blobVersionedHashes: p.blobs.versionedHashes,
  } as const
  const serialized = await account.signTransaction({ ...tx, sidecars: p.blobs.sidecars })
  // The network form wraps blobs, commitments and proofs; the tx hash is over the bare form.
  const { r, s, yParity } = parseTransaction(serialized)
  const hash = keccak256(serializeTransaction({ ...tx, sidecars: false }, { r: r!, s: s!, yParity: yParity! }))
  return { hash, serialized, nonce: p.nonce, fees: p.fees, gas }
}
