/**
 * Sender recovery for derived transactions (secp256k1 public-key recovery over the signing hash).
 * Synchronous @noble/curves — viem's `recoverAddress` is async per call and several times slower.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import {
  type Address,
  bytesToHex,
  type Hex,
  hexToBigInt,
  keccak256,
  numberToBytes,
  parseTransaction,
  serializeTransaction,
  type TransactionSerializable,
} from 'viem'

export class InvalidSignatureError extends Error {
  override name = 'InvalidSignatureError'
  readonly shortMessage = 'transaction signature does not recover a sender'
}

export function recoverSender(raw: Hex): Address {
  const tx = parseTransaction(raw)
  if (tx.r === undefined || tx.s === undefined) throw new InvalidSignatureError()
  const { r, s, v, yParity, ...unsigned } = tx
  const legacyParity = tx.type === 'legacy' && v !== undefined ? Number(v >= 35n ? (v - 35n) % 2n : v - 27n) : undefined
  const recovery = legacyParity ?? yParity
  if (recovery !== 0 && recovery !== 1) throw new InvalidSignatureError()
  // EIP-2: high-s signatures are invalid.
  const sValue = hexToBigInt(s)
  if (sValue > secp256k1.Point.CURVE().n / 2n) throw new InvalidSignatureError()
  const signingHash = keccak256(serializeTransaction(unsigned as TransactionSerializable), 'bytes')
  const sig = new Uint8Array(65)
  sig[0] = recovery
  sig.set(numberToBytes(hexToBigInt(r), { size: 32 }), 1)
  sig.set(numberToBytes(sValue, { size: 32 }), 33)
  let publicKey: Uint8Array
  try {
    publicKey = secp256k1.recoverPublicKey(sig, signingHash, { prehash: false })
  } catch {
    throw new InvalidSignatureError()
  }
  const uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false)
  return `0x${bytesToHex(keccak256(uncompressed.subarray(1), 'bytes')).slice(26)}` as Address
}
