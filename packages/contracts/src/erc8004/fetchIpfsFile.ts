/**
 * Reads an `ipfs://` file through an IPFS HTTP gateway (`GET <gateway>/ipfs/<cid>`), bounded in size and
 * time: the URI comes from anyone's registration or feedback. The gateway is only a transport; readers
 * check the bytes against the CID (inspectAgent, contentMatchesCid).
 */
import { readLimited } from '../http/readLimited.ts'
import { cidOfUri } from './ipfsCid.ts'
import { MAX_REGISTRATION_FILE_BYTES } from './registrationFile.ts'

export const IPFS_FETCH_TIMEOUT_MS = 5_000

export async function fetchIpfsFile(
  gatewayUrl: string,
  uri: string,
  { maxBytes = MAX_REGISTRATION_FILE_BYTES, timeoutMs = IPFS_FETCH_TIMEOUT_MS } = {},
): Promise<Uint8Array> {
  const cid = cidOfUri(uri)
  if (!cid) throw new Error('not an ipfs:// URI')
  const response = await fetch(`${gatewayUrl}/ipfs/${cid}`, { signal: AbortSignal.timeout(timeoutMs) })
  if (!response.ok || !response.body) throw new Error(`IPFS peer answered ${response.status}`)
  return readLimited(response, maxBytes)
}
