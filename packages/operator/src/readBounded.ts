/**
 * Reads at most `max` bytes of an HTTP answer: an operator is a stranger, and an answer that never ends
 * must cost the prober neither memory nor the whole timeout. Web APIs only: the wallet's service worker
 * probes with it too (no Node `Buffer` there).
 */
import { concat } from 'viem'

export async function readBoundedBytes(res: Response, max: number): Promise<Uint8Array> {
  const reader = res.body?.getReader()
  if (!reader) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > max) {
      await reader.cancel()
      throw new Error(`answer above ${max} bytes`)
    }
    chunks.push(value)
  }
  return concat(chunks)
}

export async function readBoundedText(res: Response, max: number): Promise<string> {
  return new TextDecoder().decode(await readBoundedBytes(res, max))
}
