/**
 * Reads an agent's `ipfs://` file through the network's IPFS peer (its `GET /ipfs/<cid>`): bounded in
 * size and time, because the URI comes from anyone's registration. The peer is not trusted for the
 * content: discovery checks the bytes against the CID.
 */
import { cidOfUri, MAX_REGISTRATION_FILE_BYTES } from '@seed/contracts'
import { concat } from 'viem'
import { activeNetwork } from '../../core/config.ts'

const FETCH_TIMEOUT_MS = 5_000

export async function fetchAgentFile(uri: string, maxBytes = MAX_REGISTRATION_FILE_BYTES): Promise<Uint8Array> {
  const cid = cidOfUri(uri)
  if (!cid) throw new Error('not an ipfs:// URI')
  const { ipfsUrl } = await activeNetwork()
  if (!ipfsUrl) throw new Error('this network has no IPFS peer')
  const response = await fetch(`${ipfsUrl}/ipfs/${cid}`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
  if (!response.ok || !response.body) throw new Error(`IPFS peer answered ${response.status}`)
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > maxBytes) {
      await reader.cancel()
      throw new Error(`larger than ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  return concat(chunks)
}
