import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { blobsToChannel, channelToBlobBytes } from '../protocol/codec/blob.ts'
import type { PostedBatch } from '../protocol/inbox.ts'
import type { BeaconClient } from './beacon.ts'
import { channelFromBlobs } from './sources.ts'

/** A beacon client whose unchecked answer is `served` and whose check returns `checked`. */
const beacon = (served: Uint8Array[], checked: Uint8Array[]): BeaconClient => ({
  url: 'http://beacon.invalid',
  addressing: async () => ({ kind: 'block-number' }),
  blockId: async (b) => b.number.toString(),
  async blobs(_block, _hashes, _kzg, whileChecking) {
    whileChecking?.(served)
    return checked
  },
})
const batch = (blobs: number) =>
  ({
    l1Block: 5n,
    l1Timestamp: 60n,
    blobHashes: Array.from({ length: blobs }, () => `0x01${'00'.repeat(31)}` as Hex),
  }) as unknown as PostedBatch
const kzg = { commit: async (blobs: Uint8Array[]) => blobs.map(() => new Uint8Array(48)) }

describe('channelFromBlobs: work started on the unchecked answer', () => {
  const channel = (fill: number) => new Uint8Array(1000).fill(fill)

  it('is the checked channel only when the check passes on those very blobs', async () => {
    const blobs = channelToBlobBytes(channel(7))
    let early: Uint8Array | undefined
    const got = await channelFromBlobs(beacon(blobs, blobs), batch(1), kzg, (c) => {
      early = c
    })
    expect(got).toEqual(channel(7))
    expect(got).toBe(early) // the caller keeps what it decoded early
  })

  it('is dropped when the checked blobs are others, even with equal bytes', async () => {
    const served = channelToBlobBytes(channel(7))
    for (const checked of [channelToBlobBytes(channel(9)), channelToBlobBytes(channel(7))]) {
      let early: Uint8Array | undefined
      const got = await channelFromBlobs(beacon(served, checked), batch(1), kzg, (c) => {
        early = c
      })
      expect(early).toEqual(channel(7))
      expect(got).not.toBe(early)
      expect(got).toEqual(blobsToChannel(checked))
    }
  })

  it('starts nothing on an answer with another number of blobs than asked', async () => {
    const blobs = channelToBlobBytes(channel(7))
    let called = false
    await channelFromBlobs(beacon([...blobs, ...blobs], blobs), batch(1), kzg, () => {
      called = true
    })
    expect(called).toBe(false)
  })
})
