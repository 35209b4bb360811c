/** The VM over the persisted Merkle Patricia Trie, with ethereumjs Caches kept across blocks. */
import type { Common } from '@ethereumjs/common'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager'
import { ValueEncoding } from '@ethereumjs/util'
import { createVM, type VM } from '@ethereumjs/vm'
import { freezeActivatedEips } from '../chain/spec.ts'
import type { TrieDb } from '../state/trie-db.ts'

export async function createStateVm(common: Common, trieDb: TrieDb, root?: Uint8Array): Promise<VM> {
  const trie = new MerklePatriciaTrie({
    db: trieDb,
    useKeyHashing: true,
    valueEncoding: ValueEncoding.Bytes,
    common,
    ...(root ? { root } : {}),
  })
  const stateManager = new MerkleStateManager({
    common,
    trie,
    caches: new Caches({ account: { size: 200_000 }, storage: { size: 100_000 }, code: { size: 5_000 } }),
  })
  const vm = await createVM({ common, stateManager })
  freezeActivatedEips(vm.common)
  freezeActivatedEips(vm.evm.common)
  return vm
}

/** A read-only view of an older state root (historical eth_getBalance / eth_getProof). */
export async function createHistoricalStateManager(common: Common, trieDb: TrieDb, root: Uint8Array) {
  const trie = new MerklePatriciaTrie({
    db: trieDb,
    useKeyHashing: true,
    valueEncoding: ValueEncoding.Bytes,
    common,
    root,
  })
  return new MerkleStateManager({ common, trie })
}
