/**
 * Blob packing (SPEC.md "Blobs"), the OP Stack scheme: every field element keeps its top two
 * bits zero (so it stays below the BLS modulus) and carries 254 bits of data, 4 field elements
 * hold 127 bytes, 130,044 usable bytes a blob — 3% more than viem's 31-bytes-per-element `toBlobs`.
 * The first element starts with a version byte (0) and the data length (uint24, big-endian).
 */
import { bytesToHex, type Hex, hexToBytes } from 'viem'
import { BatchDecodeError } from '../errors.ts'

export const BYTES_PER_BLOB = 131_072
const ROUNDS = 1024
export const BLOB_ENCODING_VERSION = 0
export const MAX_BLOB_DATA_SIZE = (4 * 31 + 3) * ROUNDS - 4 // 130,044
export const MAX_BLOBS_PER_TX = 6

/** Packs up to MAX_BLOB_DATA_SIZE bytes into one blob. */
export function dataToBlob(data: Uint8Array): Uint8Array {
  if (data.length > MAX_BLOB_DATA_SIZE) throw new RangeError(`blob data too large: ${data.length}`)
  const blob = new Uint8Array(BYTES_PER_BLOB)
  let read = 0
  let write = 0
  const buf = new Uint8Array(31)
  const read1 = () => (read < data.length ? data[read++]! : 0)
  const read31 = () => {
    buf.fill(0)
    const n = Math.min(31, Math.max(0, data.length - read))
    buf.set(data.subarray(read, read + n))
    read += n
  }
  const write1 = (v: number) => {
    blob[write++] = v
  }
  const write31 = () => {
    blob.set(buf, write)
    write += 31
  }
  for (let round = 0; round < ROUNDS && read < data.length; round++) {
    if (round === 0) {
      buf.fill(0)
      buf[0] = BLOB_ENCODING_VERSION
      buf[1] = (data.length >> 16) & 0xff
      buf[2] = (data.length >> 8) & 0xff
      buf[3] = data.length & 0xff
      const n = Math.min(27, data.length)
      buf.set(data.subarray(0, n), 4)
      read += n
    } else {
      read31()
    }
    const x = read1()
    write1(x & 0b0011_1111)
    write31()
    read31()
    const y = read1()
    write1((y & 0b0000_1111) | ((x & 0b1100_0000) >> 2))
    write31()
    read31()
    const z = read1()
    write1(z & 0b0011_1111)
    write31()
    read31()
    write1(((z & 0b1100_0000) >> 2) | ((y & 0b1111_0000) >> 4))
    write31()
  }
  return blob
}

/** Inverse of dataToBlob; rejects anything dataToBlob could not have produced. */
export function blobToData(blob: Uint8Array): Uint8Array {
  if (blob.length !== BYTES_PER_BLOB) throw new BatchDecodeError(`blob has ${blob.length} bytes`)
  if (blob[1] !== BLOB_ENCODING_VERSION) throw new BatchDecodeError(`unknown blob encoding version ${blob[1]}`)
  const length = (blob[2]! << 16) | (blob[3]! << 8) | blob[4]!
  if (length > MAX_BLOB_DATA_SIZE) throw new BatchDecodeError(`blob data length ${length} too large`)
  const out = new Uint8Array(MAX_BLOB_DATA_SIZE + 4) // decode everything, then cut and check the tail
  let o = 0
  for (let round = 0; round < ROUNDS; round++) {
    const base = round * 128
    const hi = [blob[base]!, blob[base + 32]!, blob[base + 64]!, blob[base + 96]!]
    for (const h of hi) if (h & 0b1100_0000) throw new BatchDecodeError('blob field element out of range')
    const [a, b, c, d] = hi as [number, number, number, number]
    const x = (a & 0b0011_1111) | ((b & 0b0011_0000) << 2)
    const y = (b & 0b0000_1111) | ((d & 0b0000_1111) << 4)
    const z = (c & 0b0011_1111) | ((d & 0b0011_0000) << 2)
    out.set(blob.subarray(base + 1, base + 32), o)
    o += 31
    out[o++] = x
    out.set(blob.subarray(base + 33, base + 64), o)
    o += 31
    out[o++] = y
    out.set(blob.subarray(base + 65, base + 96), o)
    o += 31
    out[o++] = z
    out.set(blob.subarray(base + 97, base + 128), o)
    o += 31
  }
  // out starts with version + uint24 length; data follows.
  const data = out.subarray(4, 4 + length)
  for (let i = 4 + length; i < out.length; i++) {
    if (out[i] !== 0) throw new BatchDecodeError('blob has non-zero bytes after its data')
  }
  return data.slice()
}

/** Splits a channel over as many blobs as it needs (at most 6 for one L1 transaction). */
export function channelToBlobs(channel: Uint8Array, maxBlobs = MAX_BLOBS_PER_TX): Hex[] {
  return channelToBlobBytes(channel, maxBlobs).map((b) => bytesToHex(b))
}

/** `channelToBlobs` as bytes (what KZG takes: no hex round trip of 128 kB per blob). */
export function channelToBlobBytes(channel: Uint8Array, maxBlobs = MAX_BLOBS_PER_TX): Uint8Array[] {
  const count = Math.max(1, Math.ceil(channel.length / MAX_BLOB_DATA_SIZE))
  if (count > maxBlobs)
    throw new RangeError(`channel of ${channel.length} bytes needs ${count} blobs (max ${maxBlobs})`)
  const blobs: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    blobs.push(dataToBlob(channel.subarray(i * MAX_BLOB_DATA_SIZE, (i + 1) * MAX_BLOB_DATA_SIZE)))
  }
  return blobs
}

/** Concatenates the data of the blobs of one batch, in versioned-hash order. */
export function blobsToChannel(blobs: readonly (Hex | Uint8Array)[]): Uint8Array {
  const parts = blobs.map((b) => blobToData(typeof b === 'string' ? hexToBytes(b) : b))
  // Canonical split: only the last blob may be partly filled.
  parts.forEach((p, i) => {
    if (i < parts.length - 1 && p.length !== MAX_BLOB_DATA_SIZE) throw new BatchDecodeError(`blob ${i} is not full`)
  })
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}
