/**
 * EIP-5792 call bundles: their status is persisted so wallet_getCallsStatus survives restarts. A
 * bundle answers only the origin it was given to: any other origin gets "unknown bundle", exactly
 * as for an id that never existed, so it learns nothing about the account's history.
 */
import { numberToHex } from 'viem'
import { ProviderRpcError } from '../../core/errors.ts'
import { type CallsBundle, stored } from '../../core/storage.ts'
import { l1Client } from '../account/clients.ts'

function readBundle(id: string): Promise<CallsBundle | undefined> {
  return stored.callsBundles.item(id).get()
}

/** Saves the bundle's progress, keeping what an earlier save recorded (its origin). */
export async function saveBundle(bundle: CallsBundle) {
  await stored.callsBundles.item(bundle.id).set({ ...(await readBundle(bundle.id)), ...bundle })
}

/** The bundle id was handed to `origin`: from now on only that origin may ask for its status. */
export async function claimBundle(id: string, origin: string) {
  const bundle = await readBundle(id)
  if (bundle) await stored.callsBundles.item(id).set({ ...bundle, origin })
}

export async function callsStatus(origin: string, id: string) {
  const bundle = await readBundle(id)
  if (!bundle || bundle.origin !== origin) throw new ProviderRpcError(5730, `Unknown bundle id ${id}`)
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
