/**
 * Sender recovery for derived transactions with the node's crypto (WASM libsecp256k1 + WASM
 * keccak everywhere; native libsecp256k1 in Node via loadNodeCrypto): signing hash → public key.
 */
import {
  type Address,
  bytesToHex,
  type Hex,
  hexToBigInt,
  hexToBytes,
  parseTransaction,
  serializeTransaction,
  type TransactionSerializable,
} from 'viem'
import type { RollupCrypto } from '../chain/crypto.ts'

export class InvalidSignatureError extends Error {
  override name = 'InvalidSignatureError'
  readonly shortMessage = 'transaction signature does not recover a sender'
}

const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n

export function recoverSender(raw: Hex, crypto: RollupCrypto): Address {
  const tx = parseTransaction(raw)
  if (tx.r === undefined || tx.s === undefined) throw new InvalidSignatureError()
  const { r, s, v, yParity, ...unsigned } = tx
  const legacyParity = tx.type === 'legacy' && v !== undefined ? Number(v >= 35n ? (v - 35n) % 2n : v - 27n) : undefined
  const recovery = legacyParity ?? yParity
  if (recovery !== 0 && recovery !== 1) throw new InvalidSignatureError()
  if (hexToBigInt(s) > HALF_N) throw new InvalidSignatureError() // EIP-2
  const signingHash = crypto.keccak256(hexToBytes(serializeTransaction(unsigned as TransactionSerializable)))
  const sig = new Uint8Array(64)
  sig.set(padLeft(hexToBytes(r)), 0)
  sig.set(padLeft(hexToBytes(s)), 32)
  let publicKey: Uint8Array
  try {
    publicKey = crypto.customCrypto.ecdsaRecover!(sig, recovery, signingHash)
  } catch {
    throw new InvalidSignatureError()
  }
  return `0x${bytesToHex(crypto.keccak256(publicKey.subarray(1))).slice(26)}` as Address
}

function padLeft(b: Uint8Array): Uint8Array {
  if (b.length === 32) return b
  const out = new Uint8Array(32)
  out.set(b, 32 - b.length)
  return out
}

/** Sender of a columnar tx straight from the decoder's signing payload (no re-parsing). */
export function recoverFromPayload(
  signingPayload: Uint8Array,
  signature: { r: Uint8Array; s: Uint8Array; yParity: number },
  crypto: RollupCrypto,
): Address {
  const sig = new Uint8Array(64)
  sig.set(signature.r, 0)
  sig.set(signature.s, 32)
  let publicKey: Uint8Array
  try {
    publicKey = crypto.customCrypto.ecdsaRecover!(sig, signature.yParity, crypto.keccak256(signingPayload))
  } catch {
    throw new InvalidSignatureError()
  }
  return `0x${bytesToHex(crypto.keccak256(publicKey.subarray(1))).slice(26)}` as Address
}
