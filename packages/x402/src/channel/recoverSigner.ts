/**
 * Who signed a digest with a 65-byte ECDSA signature, under the rules OpenZeppelin's ECDSA applies on chain
 * (v 27 or 28, s in the lower half of the curve order): a voucher the contract would refuse to claim is
 * never accepted off chain. Recovery runs in libsecp256k1 (rollup-lite's native binding, a few µs) rather
 * than pure-JS secp256k1 (milliseconds), which was the facilitator's bottleneck under voucher load.
 */
import { nativeEcdsaRecover } from '@seed/rollup-lite/node'
import { type Address, getAddress, type Hex, hexToBytes, keccak256, recoverAddress, toHex } from 'viem'

const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n
const native = nativeEcdsaRecover()

/** The signer's address, or undefined when the signature is malformed or would not pass `ECDSA.recover`. */
export async function recoverSigner(digest: Hex, signature: Hex): Promise<Address | undefined> {
  if (signature.length !== 132) return undefined
  const bytes = hexToBytes(signature)
  const v = bytes[64] as number
  if (v !== 27 && v !== 28) return undefined
  const s = BigInt(toHex(bytes.subarray(32, 64)))
  if (s === 0n || s > HALF_ORDER) return undefined
  try {
    if (!native) return await recoverAddress({ hash: digest, signature })
    const publicKey = native(bytes.subarray(0, 64), v - 27, hexToBytes(digest))
    return getAddress(`0x${keccak256(publicKey.subarray(1)).slice(26)}`)
  } catch {
    return undefined
  }
}
