/** The embedded rollup's batcher key (decision 0406): its own key, recoverable from the vault alone. */
import { concat, type Hex, keccak256, stringToHex } from 'viem'

const BATCHER_KEY_DOMAIN = stringToHex('seed/rollup-batcher/v1')

/** keccak256(owner key ‖ domain): never the owner key itself, always the same for one vault. */
export function batcherKeyOf(ownerKey: Hex): Hex {
  return keccak256(concat([ownerKey, BATCHER_KEY_DOMAIN]))
}
