/**
 * Writes the genesis allocation (balances, nonces, predeployed code and storage) into the state,
 * plus the Prague system predeploys (EIP-2935 history contract) unless the alloc defines them.
 */
import {
  createAccount,
  createAddressFromString,
  type Address as EjsAddress,
  hexToBytes,
  setLengthLeft,
} from '@ethereumjs/util'
import type { VM } from '@ethereumjs/vm'
import type { Genesis } from '../chain/types.ts'
import { withSystemPredeploys } from './system-contracts.ts'

export async function applyGenesisAlloc(vm: VM, genesis: Genesis): Promise<void> {
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
