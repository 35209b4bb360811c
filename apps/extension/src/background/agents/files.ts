/**
 * Reads an agent's `ipfs://` file through the network's IPFS peer (its `GET /ipfs/<cid>`), bounded in
 * size and time (`fetchIpfsFile`), because the URI comes from anyone's registration. The peer is not
 * trusted for the content: discovery checks the bytes against the CID.
 */
import { fetchIpfsFile, MAX_REGISTRATION_FILE_BYTES } from '@seed/contracts'
import { activeNetwork } from '../../core/config.ts'

export async function fetchAgentFile(uri: string, maxBytes = MAX_REGISTRATION_FILE_BYTES): Promise<Uint8Array> {
  const { ipfsUrl } = await activeNetwork()
  if (!ipfsUrl) throw new Error('this network has no IPFS peer')
  return fetchIpfsFile(ipfsUrl, uri, { maxBytes })
}
