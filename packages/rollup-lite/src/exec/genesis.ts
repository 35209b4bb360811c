/**
 * Opens a chain on a KV: its stored head, or the genesis block written from the genesis file.
 * The sequencer's node and derivation's replay both start here, so they share one genesis.
 */

import type { Common } from '@ethereumjs/common'
import {
  createAccount,
  createAddressFromString,
  type Address as EjsAddress,
  hexToBytes,
  setLengthLeft,
} from '@ethereumjs/util'
import type { VM } from '@ethereumjs/vm'
import { bytesToHex } from 'viem'
import { keys } from '../chain/codec.ts'
import type { Genesis, SealedBlock } from '../chain/types.ts'
import type { RollupConfig } from '../protocol/config.ts'
import { genesisHeader } from '../protocol/header.ts'
import type { ChainStore } from '../state/chain-store.ts'
import type { KV } from '../state/kv.ts'
import type { TrieDb } from '../state/trie-db.ts'
import { sealedBlock } from './executor.ts'
import { createStateVm } from './state.ts'
import { withSystemPredeploys } from './system-contracts.ts'

export class GenesisMismatchError extends Error {
  override name = 'GenesisMismatchError'
  shortMessage = 'The data directory holds a chain with another chain id.'
}

/** The head of the chain stored in `kv`, after writing its genesis block if the KV is new. */
export async function openChain(o: {
  kv: KV
  common: Common
  trieDb: TrieDb
  store: ChainStore
  keccak256: (b: Uint8Array) => Uint8Array
  genesis: Genesis
  config: Pick<RollupConfig, 'chainId' | 'gasLimit' | 'coinbase'>
}): Promise<SealedBlock> {
  const stored = await o.kv.get(keys.chainConfig)
  if (!stored) return writeGenesis(o)
  const config = JSON.parse(new TextDecoder().decode(stored)) as { chainId: string }
  if (BigInt(config.chainId) !== o.config.chainId)
    throw new GenesisMismatchError(`stored chain id ${config.chainId}, genesis ${o.config.chainId}`)
  const n = await o.store.head()
  const block = n === undefined ? undefined : await o.store.block(n)
  if (!block) throw new Error('corrupt data directory: head block missing')
  return block
}

async function writeGenesis(o: Parameters<typeof openChain>[0]): Promise<SealedBlock> {
  const vm = await createStateVm(o.common, o.trieDb)
  await vm.stateManager.checkpoint()
  await applyGenesisAlloc(vm, o.genesis)
  await vm.stateManager.commit()
  const root = await vm.stateManager.getStateRoot()
  const trieOps = o.trieDb.seal(root)
  const block = sealedBlock(genesisHeader(o.genesis, bytesToHex(root), o.config), [], [], o.keccak256)
  const config = new TextEncoder().encode(
    JSON.stringify({ chainId: o.config.chainId.toString(), genesisHash: block.hash }),
  )
  await o.kv.batch([...trieOps, ...o.store.blockOps(block, []), { type: 'put', key: keys.chainConfig, value: config }])
  return block
}

/**
 * Writes the genesis allocation (balances, nonces, predeployed code and storage) into the state,
 * plus the Prague system predeploys (EIP-2935 history contract) unless the alloc defines them.
 */
async function applyGenesisAlloc(vm: VM, genesis: Genesis): Promise<void> {
  const sm = vm.stateManager
  for (const [address, account] of Object.entries(withSystemPredeploys(genesis.alloc))) {
    const addr: EjsAddress = createAddressFromString(address)
    await sm.putAccount(
      addr,
      createAccount({ nonce: BigInt(account.nonce ?? 0), balance: BigInt(account.balance ?? 0) }),
    )
    if (account.code && account.code !== '0x') await sm.putCode(addr, hexToBytes(account.code))
    for (const [slot, value] of Object.entries(account.storage ?? {})) {
      await sm.putStorage(addr, setLengthLeft(hexToBytes(slot as `0x${string}`), 32), hexToBytes(value))
    }
  }
}
