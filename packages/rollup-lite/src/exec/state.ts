/** The VM over the persisted Merkle Patricia Trie, with ethereumjs Caches kept across blocks. */
import type { Common } from '@ethereumjs/common'
import type { EVMMockBlockchainInterface } from '@ethereumjs/evm'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { type AccountCache, Caches, MerkleStateManager } from '@ethereumjs/statemanager'
import { createAddressFromString, type DB, ValueEncoding } from '@ethereumjs/util'
import { createVM, type VM } from '@ethereumjs/vm'
import { bytesToHex, type Hex, hexToBytes } from 'viem'
import { freezeActivatedEips } from '../chain/spec.ts'
import { L2_TO_L1_MESSAGE_PASSER } from '../protocol/bridge/withdrawal.ts'
import { messagePasserStorageRoot } from '../protocol/output-root.ts'
import { FlatAccountCache, FlatStateManager } from '../state/flat-accounts.ts'
import type { TrieDb } from '../state/trie-db.ts'

/** `plain`: ethereumjs' own account cache (the reference the flat cache is tested against). */
export async function createStateVm(
  common: Common,
  trieDb: TrieDb,
  root?: Uint8Array,
  options: { plain?: boolean } = {},
): Promise<VM> {
  const trie = new MerklePatriciaTrie({
    db: trieDb,
    useKeyHashing: true,
    valueEncoding: ValueEncoding.Bytes,
    common,
    ...(root ? { root } : {}),
  })
  const caches = new Caches({ account: { size: 200_000 }, storage: { size: 100_000 }, code: { size: 5_000 } })
  if (options.plain) return vmOver(common, new MerkleStateManager({ common, trie, caches }))
  // Accounts as plain fields, RLP only when flushed into the trie (see flat-accounts.ts).
  caches.account = new FlatAccountCache() as unknown as AccountCache
  return vmOver(common, new FlatStateManager({ common, trie, caches }))
}

async function vmOver(common: Common, stateManager: MerkleStateManager): Promise<VM> {
  const vm = await createVM({ common, stateManager })
  freezeActivatedEips(vm.common)
  freezeActivatedEips(vm.evm.common)
  return vm
}

/**
 * A VM over an older state root for historical eth_call / eth_estimateGas: calls revert their
 * changes, and it shares no caches with the live VM, so it runs outside the node's mutex.
 */
export async function createHistoricalVm(
  common: Common,
  trieDb: DB<string, Uint8Array>,
  root: Uint8Array,
  blockHashes: EVMMockBlockchainInterface,
): Promise<VM> {
  const stateManager = await createHistoricalStateManager(common, trieDb, root)
  const vm = await createVM({ common, stateManager, blockchain: blockHashes })
  freezeActivatedEips(vm.common)
  freezeActivatedEips(vm.evm.common)
  return vm
}

/** A read-only view of an older state root (historical eth_getBalance / eth_getProof). */
export async function createHistoricalStateManager(common: Common, trieDb: DB<string, Uint8Array>, root: Uint8Array) {
  const trie = new MerklePatriciaTrie({
    db: trieDb,
    useKeyHashing: true,
    valueEncoding: ValueEncoding.Bytes,
    common,
    root,
  })
  return new MerkleStateManager({ common, trie })
}

/** The message passer's storage root in state `stateRoot`, as the output root commits it (SPEC §6). */
export async function readMessagePasserStorageRoot(
  common: Common,
  trieDb: DB<string, Uint8Array>,
  stateRoot: Hex,
): Promise<Hex> {
  const state = await createHistoricalStateManager(common, trieDb, hexToBytes(stateRoot))
  const account = await state.getAccount(createAddressFromString(L2_TO_L1_MESSAGE_PASSER))
  return messagePasserStorageRoot(
    account && { codeHash: bytesToHex(account.codeHash), storageHash: bytesToHex(account.storageRoot) },
  )
}
