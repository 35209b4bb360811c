/** How a data source fails (typed, never a crash): a derivation falls back to the next source on it. */
import { concatBytes } from 'viem'

export class DataUnavailableError extends Error {
  override name = 'DataUnavailableError'
  readonly shortMessage: string
  constructor(
    readonly source: 'blobs' | 'ipfs',
    reason: string,
  ) {
    super(`${source}: ${reason}`)
    this.shortMessage = `${source} data unavailable`
  }
}

/** The body, read up to `limit` bytes: a larger answer is refused before it is all in memory. */
export async function readLimited(res: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN)
  if (declared > limit) throw new Error(`answer of ${declared} bytes (at most ${limit})`)
  const reader = res.body?.getReader()
  if (!reader) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > limit) {
      await reader.cancel()
      throw new Error(`answer larger than ${limit} bytes`)
    }
    chunks.push(value)
  }
  return concatBytes(chunks)
}
