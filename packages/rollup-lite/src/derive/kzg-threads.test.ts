import { bytesToHex } from 'viem'
import { afterAll, expect, test } from 'vitest'
import { loadNativeKzg } from '../chain/native-kzg.ts'
import { channelToBlobBytes } from '../protocol/codec/blob.ts'
import { blobCommitments } from './blob-kzg.ts'
import { createKzgThreads } from './kzg-threads.ts'

const threads = createKzgThreads({ threads: 2 })
afterAll(() => threads?.close())

test('commitments off-thread equal c-kzg on this thread, in blob order', async () => {
  const native = loadNativeKzg()
  if (!threads || !native) throw new Error('c-kzg binding not built')
  const channel = new Uint8Array(400_000)
  for (let i = 0; i < channel.length; i += 65_536) crypto.getRandomValues(channel.subarray(i, i + 65_536))
  const blobs = channelToBlobBytes(channel)
  expect(blobs.length).toBe(4)
  const [offThread, inThread] = await Promise.all([blobCommitments(blobs, threads), blobCommitments(blobs, native)])
  // c-kzg answers Buffers on this thread, the threads' answers arrive as plain Uint8Arrays
  expect(offThread.map((c) => bytesToHex(c))).toEqual(inThread.map((c) => bytesToHex(c)))
})

test('a blob that is no valid polynomial gets an empty commitment (matches no versioned hash), and the pool goes on', async () => {
  if (!threads) throw new Error('c-kzg binding not built')
  const notCanonical = new Uint8Array(131_072).fill(0xff) // every field element ≥ the BLS modulus
  const valid = new Uint8Array(131_072)
  const [bad, good] = await threads.commit([notCanonical, valid])
  expect(bad).toHaveLength(0)
  expect(good).toHaveLength(48)
})

test('a closed pool rejects work instead of hanging, and closes twice', async () => {
  const pool = createKzgThreads({ threads: 1 })
  if (!pool) throw new Error('c-kzg binding not built')
  expect(await pool.commit([new Uint8Array(131_072)])).toHaveLength(1)
  await pool.close()
  await expect(pool.commit([new Uint8Array(131_072)])).rejects.toThrow(/KZG thread exited/)
  await pool.close()
})
