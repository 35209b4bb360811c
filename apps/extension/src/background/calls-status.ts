/** EIP-5792 call bundles: their status is persisted so wallet_getCallsStatus survives restarts. */
import { type Hex, numberToHex } from 'viem'
import { ProviderRpcError } from '../core/errors.ts'
import { l1Client } from './clients.ts'

type Bundle = { id: string; chainId: number; transactionHash?: Hex; success?: boolean }
const key = (id: string) => `calls:${id}`

export async function saveBundle(bundle: Bundle) {
  await chrome.storage.local.set({ [key(bundle.id)]: bundle })
}

export async function callsStatus(id: string) {
  const bundle = (await chrome.storage.local.get(key(id)))[key(id)] as Bundle | undefined
  if (!bundle) throw new ProviderRpcError(5730, `Unknown bundle id ${id}`)
  const base = { version: '2.0.0', id, chainId: numberToHex(bundle.chainId), atomic: true }
  if (!bundle.transactionHash) return { ...base, status: 100 }
  const receipt = await (await l1Client()).getTransactionReceipt({ hash: bundle.transactionHash })
  return {
    ...base,
    status: bundle.success ? 200 : 500,
    receipts: [
      {
        logs: receipt.logs.map((l) => ({ address: l.address, data: l.data, topics: l.topics })),
        status: receipt.status === 'success' ? '0x1' : '0x0',
        blockHash: receipt.blockHash,
        blockNumber: numberToHex(receipt.blockNumber),
        gasUsed: numberToHex(receipt.gasUsed),
        transactionHash: receipt.transactionHash,
      },
    ],
  }
}
