/**
 * Node only: KZG through `c-kzg` (the C reference implementation, built with node-gyp, with its
 * bundled Ethereum trusted setup). Commitments and proofs for 6 blobs take milliseconds instead of
 * the seconds of the pure-JS `kzg` (src/chain/kzg.ts), which stays the browser's choice.
 * Never imported by browser code: the batcher and the verifier take a `kzg` option.
 */
import { createRequire } from 'node:module'
import { defineKzg, type Kzg } from 'viem'

type CKzg = {
  loadTrustedSetup(precompute: number, filePath?: string): void
  blobToKzgCommitment(blob: Uint8Array): Uint8Array
  computeBlobKzgProof(blob: Uint8Array, commitment: Uint8Array): Uint8Array
}

let loaded: Kzg | null | undefined

/** The native KZG, or undefined when the `c-kzg` binding is not built on this machine. */
export function loadNativeKzg(): Kzg | undefined {
  if (loaded !== undefined) return loaded ?? undefined
  try {
    const ckzg = createRequire(import.meta.url)('c-kzg') as CKzg
    // Precompute 0: the setup loads in ~0.1 s; higher values trade memory for faster proofs.
    ckzg.loadTrustedSetup(0)
    loaded = defineKzg({
      blobToKzgCommitment: (blob) => ckzg.blobToKzgCommitment(blob),
      computeBlobKzgProof: (blob, commitment) => ckzg.computeBlobKzgProof(blob, commitment),
    })
  } catch {
    loaded = null
  }
  return loaded ?? undefined
}
