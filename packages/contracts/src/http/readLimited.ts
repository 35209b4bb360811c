/**
 * An HTTP answer's body, read up to `limit` bytes: what a stranger serves (an IPFS gateway, an operator, a
 * replica named in someone's registration file) is refused once it is larger, before it is all in memory.
 * Web APIs only: Node, the wallet's service worker and the web app all read with it.
 */
import { concat } from 'viem'

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
  return concat(chunks)
}

/** The same, as UTF-8 text. */
export async function readLimitedText(res: Response, limit: number): Promise<string> {
  return new TextDecoder().decode(await readLimited(res, limit))
}
