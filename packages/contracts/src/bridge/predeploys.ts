/**
 * The L2 predeploys of a bridged Seed chain (rollup-lite SPEC §10.3, §10.4): the genesis alloc entries of the
 * L2ToL1MessagePasser and the L2StandardBridge, and where the bridge creates each L1 token's twin. Genesis
 * holds runtime code, so the bridge's two addresses are its initial storage, not constructor arguments.
 */
import { type Address, encodeDeployData, getContractAddress, type Hex, pad } from 'viem'
import { L2StandardBridgeDeployedBytecode } from '../generated/L2StandardBridge.ts'
import { L2ToL1MessagePasserDeployedBytecode } from '../generated/L2ToL1MessagePasser.ts'
import { L2TwinERC20Abi, L2TwinERC20Bytecode } from '../generated/L2TwinERC20.ts'
import { L1_STANDARD_BRIDGE, L2_STANDARD_BRIDGE, L2_TO_L1_MESSAGE_PASSER } from './constants.ts'

/** L2StandardBridge storage: slot 0 holds the L1StandardBridge, slot 1 the chain's RollupInbox. */
export const L2_BRIDGE_L1_BRIDGE_SLOT: Hex = pad('0x00', { size: 32 })
export const L2_BRIDGE_INBOX_SLOT: Hex = pad('0x01', { size: 32 })

/** One genesis account: runtime code, nonce 1 (a created contract's, EIP-161), initial storage. */
export type PredeployAccount = { nonce: number; code: Hex; storage: Record<Hex, Hex> }

/**
 * The two bridge predeploys of the chain whose L1 inbox is `inbox`: the message passer (empty storage) and the
 * standard bridge (which answers to the L1StandardBridge and names `inbox` in every withdrawal it sends).
 */
export function l2BridgePredeploys({ inbox }: { inbox: Address }): Record<Address, PredeployAccount> {
  return {
    [L2_TO_L1_MESSAGE_PASSER]: { nonce: 1, code: L2ToL1MessagePasserDeployedBytecode, storage: {} },
    [L2_STANDARD_BRIDGE]: {
      nonce: 1,
      code: L2StandardBridgeDeployedBytecode,
      storage: {
        [L2_BRIDGE_L1_BRIDGE_SLOT]: pad(L1_STANDARD_BRIDGE, { size: 32 }),
        [L2_BRIDGE_INBOX_SLOT]: pad(inbox, { size: 32 }),
      },
    },
  }
}

/** The L2 twin of `l1Token`: CREATE2 from the L2StandardBridge, salt the token, the twin's init code for it. */
export function l2TwinAddress(l1Token: Address): Address {
  return getContractAddress({
    opcode: 'CREATE2',
    from: L2_STANDARD_BRIDGE,
    salt: pad(l1Token, { size: 32 }),
    bytecode: encodeDeployData({ abi: L2TwinERC20Abi, bytecode: L2TwinERC20Bytecode, args: [l1Token] }),
  })
}
