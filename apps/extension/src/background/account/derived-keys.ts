/**
 * Keys the wallet derives from the vault's owner key, one per purpose, so each is recoverable from
 * the vault alone and none is the owner key: the batcher's (decision 0406) and the rollup account's
 * (decision 0401: what a page gets signed on the rollup never comes from the key that owns the L1
 * smart account).
 */
import { concat, type Hex, keccak256, stringToHex } from 'viem'

const BATCHER_KEY_DOMAIN = stringToHex('seed/rollup-batcher/v1')
const ROLLUP_ACCOUNT_KEY_DOMAIN = stringToHex('seed/rollup-account/v1')
const GUARDIAN_KEY_DOMAIN = stringToHex('seed/rollup-guardian/v1')

/** keccak256(owner key ‖ domain): never the owner key itself, always the same for one vault. */
const derive = (ownerKey: Hex, domain: Hex) => keccak256(concat([ownerKey, domain]))

export const batcherKeyOf = (ownerKey: Hex): Hex => derive(ownerKey, BATCHER_KEY_DOMAIN)

export const rollupAccountKeyOf = (ownerKey: Hex): Hex => derive(ownerKey, ROLLUP_ACCOUNT_KEY_DOMAIN)

/** Signs the portal's EIP-712 resolutions of challenges to the agent's outputs (an EOA: the portal recovers ECDSA). */
export const guardianKeyOf = (ownerKey: Hex): Hex => derive(ownerKey, GUARDIAN_KEY_DOMAIN)
