/**
 * Prague system contracts on the rollup (decision 0103): the EIP-2935 block-hash history contract
 * is a genesis predeploy and each block starts by storing its parent's hash in it; BLOCKHASH
 * returns the real hashes of the last 256 blocks. There is no beacon chain, so no EIP-4788
 * contract and `parentBeaconBlockRoot` stays zero.
 */
import type { EVMMockBlockchainInterface } from '@ethereumjs/evm'
import { bigIntToBytes, createAddressFromString, setLengthLeft } from '@ethereumjs/util'
import type { VM } from '@ethereumjs/vm'
import { type Address, type Hex, hexToBytes } from 'viem'
import type { Genesis } from '../chain/types.ts'

export const HISTORY_STORAGE_ADDRESS: Address = '0x0000F90827F1C53a10cb7A02335B175320002935'
/** EIP-2935 runtime code (as deployed on mainnet, and predeployed by anvil --hardfork prague). */
export const HISTORY_STORAGE_CODE: Hex =
  '0x3373fffffffffffffffffffffffffffffffffffffffe14604657602036036042575f35600143038111604257611fff81430311604257611fff9006545f5260205ff35b5f5ffd5b5f35611fff60014303065500'
export const HISTORY_SERVE_WINDOW = 8191n

const historyAddress = createAddressFromString(HISTORY_STORAGE_ADDRESS)

/** The genesis alloc plus the system predeploys it does not already define. */
export function withSystemPredeploys(alloc: Genesis['alloc']): Genesis['alloc'] {
  const defined = Object.keys(alloc).some((a) => a.toLowerCase() === HISTORY_STORAGE_ADDRESS.toLowerCase())
  if (defined) return alloc
  // Nonce 1 as a contract created by a transaction (EIP-161), as in geth's dev genesis.
  return { ...alloc, [HISTORY_STORAGE_ADDRESS]: { balance: 0n, nonce: 1, code: HISTORY_STORAGE_CODE } }
}

/**
 * The EIP-2935 system call at the start of block `number`: slot (number - 1) % 8191 of the
 * history contract gets the parent hash. Written directly, as ethereumjs's runBlock does
 * (accumulateParentBlockHash): the contract's set path does exactly this store and nothing else.
 */
export async function storeParentHash(vm: VM, number: bigint, parentHash: Hex): Promise<void> {
  if (number === 0n) return
  if ((await vm.stateManager.getCode(historyAddress)).length === 0) return
  const slot = setLengthLeft(bigIntToBytes((number - 1n) % HISTORY_SERVE_WINDOW), 32)
  await vm.stateManager.putStorage(historyAddress, slot, hexToBytes(parentHash))
}

/**
 * What the EVM asks for BLOCKHASH (`getBlock(n).hash()`, n within the last 256 blocks): the
 * chain's real block hashes. ethereumjs's default answers zero for every block.
 */
export function blockHashSource(hashOf: (n: bigint) => Promise<Hex | undefined>): EVMMockBlockchainInterface {
  const source: EVMMockBlockchainInterface = {
    async getBlock(n: number) {
      const hash = await hashOf(BigInt(n))
      return { hash: () => (hash ? hexToBytes(hash) : new Uint8Array(32)) }
    },
    async putBlock() {},
    shallowCopy: () => source,
  }
  return source
}

/** Points a VM's BLOCKHASH at `source` (the EVM reads `evm.blockchain` per call). */
export function useBlockHashes(vm: VM, source: EVMMockBlockchainInterface): void {
  ;(vm as unknown as { blockchain: unknown }).blockchain = source
  ;(vm.evm as unknown as { blockchain: unknown }).blockchain = source
}
