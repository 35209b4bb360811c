/**
 * The unsafe-block gossip message (SPEC.md §12): a sealed block signed by the chain's sequencer
 * key, so a replica can serve it before its batch reaches L1. The signature is over a
 * domain-separated digest of chain id, block hash and number: it cannot be replayed on another
 * chain, and it is never a valid transaction, EIP-191 message or EIP-712 digest.
 */
import {
  type Address,
  concat,
  type Hex,
  hexToBytes,
  isAddressEqual,
  keccak256,
  numberToHex,
  recoverAddress,
  toHex,
} from 'viem'
import { sign } from 'viem/accounts'
import { decodeBlock, encodeBlock } from '../chain/codec.ts'
import { orderedTrieRoot } from '../chain/ordered-trie.ts'
import type { SealedBlock } from '../chain/types.ts'

/** Prefix of the signed digest: names the message and its version. */
export const UNSAFE_BLOCK_DOMAIN = 'seed-rollup-unsafe-block-v1'
/** The gossipsub topic of a chain's unsafe blocks. */
export const unsafeBlocksTopic = (chainId: bigint) => `/seed/rollup/${chainId}/unsafe-blocks/1`
const SIGNATURE_BYTES = 65
/** A block is at most ~520 KB of txs (4 blobs) plus its header: anything larger is not one. */
export const MAX_UNSAFE_BLOCK_MESSAGE_BYTES = 1 << 20

export class UnsafeBlockError extends Error {
  override name = 'UnsafeBlockError'
  readonly shortMessage: string
  constructor(reason: string) {
    super(`unsafe block refused: ${reason}`)
    this.shortMessage = reason
  }
}

export function unsafeBlockDigest(chainId: bigint, block: { hash: Hex; number: bigint }): Hex {
  return keccak256(
    concat([
      toHex(UNSAFE_BLOCK_DOMAIN),
      numberToHex(chainId, { size: 32 }),
      block.hash,
      numberToHex(block.number, { size: 32 }),
    ]),
  )
}

/** signature (65 bytes: r, s, v) ‖ the block's standard RLP. */
export async function encodeUnsafeBlock(chainId: bigint, block: SealedBlock, sequencerKey: Hex): Promise<Uint8Array> {
  const signature = await sign({
    hash: unsafeBlockDigest(chainId, { hash: block.hash, number: block.header.number }),
    privateKey: sequencerKey,
    to: 'hex',
  })
  return concat([hexToBytes(signature), encodeBlock(block)])
}

/**
 * Decodes a gossiped block and checks it is signed by `sequencer` for this chain. The hash is
 * recomputed from the header and the transactions checked against its root: the signature covers
 * what the replica will execute, not a claim.
 */
export async function decodeUnsafeBlock(
  bytes: Uint8Array,
  o: { chainId: bigint; sequencer: Address; keccak256: (b: Uint8Array) => Uint8Array },
): Promise<SealedBlock> {
  if (bytes.length > MAX_UNSAFE_BLOCK_MESSAGE_BYTES) throw new UnsafeBlockError('message too large')
  if (bytes.length <= SIGNATURE_BYTES) throw new UnsafeBlockError('message too short')
  let block: SealedBlock
  try {
    block = decodeBlock(bytes.subarray(SIGNATURE_BYTES), o.keccak256)
  } catch (e) {
    throw new UnsafeBlockError(`block does not decode: ${(e as Error).message}`)
  }
  let signer: Address
  try {
    signer = await recoverAddress({
      hash: unsafeBlockDigest(o.chainId, { hash: block.hash, number: block.header.number }),
      signature: toHex(bytes.subarray(0, SIGNATURE_BYTES)),
    })
  } catch {
    throw new UnsafeBlockError('signature does not recover')
  }
  if (!isAddressEqual(signer, o.sequencer)) throw new UnsafeBlockError(`signed by ${signer}, not the sequencer`)
  // The signed hash covers the header only: the transactions must be the ones its root commits to.
  if (toHex(orderedTrieRoot(block.transactions, o.keccak256)) !== block.header.transactionsRoot) {
    throw new UnsafeBlockError('transactions do not match the signed header')
  }
  return block
}
