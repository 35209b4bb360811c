/**
 * WASM keccak (hash-wasm) and WASM secp256k1 recovery (libsecp256k1 build), plugged into
 * ethereumjs through Common's `customCrypto`. Pure-JS recovery (~2-3 ms/tx) is the sequencer's
 * bottleneck; the WASM one is ~5x faster. Works in Node and in a browser Worker (no fs access).
 */
import type { CustomCrypto } from '@ethereumjs/common'
import { initWasmSecp256k1 } from '@solar-republic/wasm-secp256k1'
import { createKeccak } from 'hash-wasm'

export type RollupCrypto = {
  keccak256: (msg: Uint8Array) => Uint8Array
  ecrecover: NonNullable<CustomCrypto['ecrecover']>
  customCrypto: CustomCrypto
}

/** Raw recovery: 64-byte compact signature, recovery id, 32-byte hash → 65-byte public key. */
export type EcdsaRecover = (signature: Uint8Array, recId: number, hash: Uint8Array) => Uint8Array

let loaded: Promise<RollupCrypto> | undefined

/** WASM crypto (any platform). Node passes a native `ecdsaRecover` (see node/native-crypto.ts). */
export function loadCrypto(options: { ecdsaRecover?: EcdsaRecover } = {}): Promise<RollupCrypto> {
  if (options.ecdsaRecover) return init(options.ecdsaRecover)
  loaded ??= init()
  return loaded
}

function pad32(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 32) return bytes
  const out = new Uint8Array(32)
  out.set(bytes, 32 - bytes.length)
  return out
}

/** Same mapping as ethereumjs' calculateSigRecovery (typed txs carry yParity 0/1). */
function recoveryId(v: bigint, chainId?: bigint): number {
  if (v === 0n || v === 1n) return Number(v)
  if (chainId === undefined) return Number(v - 27n)
  return Number(v - (chainId * 2n + 35n))
}

async function init(nativeRecover?: EcdsaRecover): Promise<RollupCrypto> {
  const [hasher, secp] = await Promise.all([createKeccak(256), initWasmSecp256k1()])
  const recover: EcdsaRecover =
    nativeRecover ?? ((signature, recId, hash) => secp.recover(signature, hash, recId, true))
  const keccak256 = (msg: Uint8Array): Uint8Array => {
    hasher.init()
    hasher.update(msg)
    return hasher.digest('binary')
  }
  const sig = new Uint8Array(64)
  const ecrecover = (msgHash: Uint8Array, v: bigint, r: Uint8Array, s: Uint8Array, chainId?: bigint) => {
    const rec = recoveryId(v, chainId)
    if (rec !== 0 && rec !== 1) throw new Error('Invalid signature v value')
    sig.set(pad32(r), 0)
    sig.set(pad32(s), 32)
    return recover(sig, rec, msgHash).subarray(1)
  }
  return { keccak256, ecrecover, customCrypto: { keccak256, ecrecover, ecdsaRecover: recover } }
}
