import { kzg } from '@seed/rollup-lite'
import {
  bytesToHex,
  createPublicClient,
  createWalletClient,
  hexToBytes,
  http,
  parseGwei,
  sha256,
  stringToHex,
  toBlobs,
} from 'viem'
import { foundry } from 'viem/chains'
import { expect, inject, test } from 'vitest'
import { devAccount } from '../src/accounts.ts'

const manifest = inject('manifest')
const transport = http(manifest.l1.rpcUrl, { timeout: 60_000 }) // a blob send can be slow on a loaded 2-core box
const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
const wallet = createWalletClient({ chain: foundry, transport, account: devAccount('user') })

/** EIP-4844: versioned hash = 0x01 ++ sha256(commitment)[1:] */
const versionedHash = (commitment: `0x${string}`) => `0x01${sha256(commitment).slice(4)}` as const

test('a blob transaction lands and its blob reads back through the beacon blobs endpoint', async () => {
  const payload = stringToHex(`seed batch ${Date.now()} `.repeat(500))
  const blobs = toBlobs({ data: payload })
  const hash = await wallet.sendTransaction({
    blobs,
    kzg,
    maxFeePerBlobGas: parseGwei('30'),
    to: '0x0000000000000000000000000000000000000000',
  })
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  expect(receipt.blobGasUsed).toBe(131072n)
  const tx = await publicClient.getTransaction({ hash })
  expect(tx.blobVersionedHashes).toHaveLength(1)

  const res = await fetch(`${manifest.l1.beaconUrl}/eth/v1/beacon/blobs/${receipt.blockNumber}`)
  expect(res.status).toBe(200)
  const { data } = (await res.json()) as { data: `0x${string}`[] }
  expect(data).toHaveLength(1)
  const blob = data[0]!
  expect(blob).toBe(blobs[0])
  const commitment = bytesToHex(kzg.blobToKzgCommitment(hexToBytes(blob)))
  expect(versionedHash(commitment)).toBe(tx.blobVersionedHashes![0])
})

test('the beacon endpoint answers an error for a block that does not exist', async () => {
  const res = await fetch(`${manifest.l1.beaconUrl}/eth/v1/beacon/blobs/999999`)
  expect(res.ok).toBe(false)
})
