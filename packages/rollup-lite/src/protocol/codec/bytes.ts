/**
 * Growable byte writer and bounds-checked reader with LEB128 varints (unsigned, bigint-safe).
 * Every column of the batch format is built from these two.
 */
import { BatchDecodeError } from '../errors.ts'

/** A varint is at most 37 bytes (259 bits: any uint256); a longer one is invalid. */
export const MAX_VARINT_BYTES = 37
/** Lengths and indexes (read with `count`) above this are invalid unless a tighter cap applies. */
export const MAX_COUNT = 2 ** 32

export class ByteWriter {
  private buf = new Uint8Array(1024)
  length = 0

  private ensure(extra: number) {
    if (this.length + extra <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.length + extra) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.length))
    this.buf = next
  }

  u8(v: number) {
    this.ensure(1)
    this.buf[this.length++] = v & 0xff
  }

  bytes(b: Uint8Array) {
    this.ensure(b.length)
    this.buf.set(b, this.length)
    this.length += b.length
  }

  /** Unsigned LEB128. Numbers below 2^53 stay on the fast path. */
  varint(v: bigint | number) {
    if (typeof v === 'number' && v < 0x80) return this.u8(v)
    let x = BigInt(v)
    if (x < 0n) throw new RangeError('varint: negative')
    this.ensure(20)
    while (x >= 0x80n) {
      this.buf[this.length++] = Number(x & 0x7fn) | 0x80
      x >>= 7n
    }
    this.buf[this.length++] = Number(x)
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length)
  }
}

export class ByteReader {
  offset = 0
  constructor(
    readonly buf: Uint8Array,
    private readonly what = 'batch',
  ) {}

  private need(n: number) {
    if (this.offset + n > this.buf.length) {
      throw new BatchDecodeError(`${this.what} is truncated`, `need ${n} bytes at offset ${this.offset}`)
    }
  }

  get remaining() {
    return this.buf.length - this.offset
  }

  u8(): number {
    this.need(1)
    return this.buf[this.offset++] as number
  }

  bytes(n: number): Uint8Array {
    this.need(n)
    const out = this.buf.subarray(this.offset, this.offset + n)
    this.offset += n
    return out
  }

  varint(): bigint {
    let result = 0n
    let shift = 0n
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const b = this.u8()
      result |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) {
        // Canonical form only: a trailing zero byte would let two encodings mean one value.
        if (b === 0 && i > 0) throw new BatchDecodeError(`${this.what}: non-canonical varint`)
        return result
      }
      shift += 7n
    }
    throw new BatchDecodeError(`${this.what}: varint too long`)
  }

  /** A varint that must fit a JS number (counts, lengths, indexes). */
  count(max = MAX_COUNT): number {
    const v = this.varint()
    if (v > BigInt(max)) throw new BatchDecodeError(`${this.what}: count ${v} above ${max}`)
    return Number(v)
  }
}
