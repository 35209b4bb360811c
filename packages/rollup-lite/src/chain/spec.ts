/**
 * Node constants and the ethereumjs Common the whole node shares (one instance: copying is slow).
 * The chain's own rules (gas limit, base fee, tx and block limits) are in protocol/config.ts.
 */
import { type Common, createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common'
import { paramsTx } from '@ethereumjs/tx'
import type { RollupCrypto } from './crypto.ts'
import { evmKzg } from './evm-kzg.ts'

export const MAX_REQUEST_BODY = 5 * 1024 * 1024
export const MIN_PRICE_BUMP_PERCENT = 10n
export const CLIENT_VERSION = 'rollup-lite/0.1.0/ethereumjs-vm-10.1.3'

export function createRollupCommon(chainId: bigint, crypto: RollupCrypto): Common {
  return createCustomCommon({ chainId: Number(chainId), name: `rollup-lite-${chainId}` }, Mainnet, {
    hardfork: Hardfork.Prague,
    customCrypto: { ...crypto.customCrypto, kzg: evmKzg },
  })
}

/**
 * The Common every decoded tx shares. ethereumjs copies the Common and re-merges tx params for
 * each tx (~100 µs/tx); this instance merges them once and hands itself out instead of copies.
 * Safe because the node never changes hardfork (runTx is called with skipHardForkValidation).
 */
/**
 * ethereumjs asks `isActivatedEIP` many times per opcode, and answers with an array scan. The
 * node's hardfork never changes, so the answer can come from a Set built once.
 */
export function freezeActivatedEips(common: Common): Common {
  const active = new Set((common as unknown as { _activatedEIPsCache: number[] })._activatedEIPsCache)
  common.isActivatedEIP = (eip: number) => active.has(eip)
  return common
}

export function createSharedTxCommon(common: Common): Common {
  const shared = common.copy()
  shared.updateParams(paramsTx)
  shared.copy = () => shared
  shared.updateParams = () => shared
  return freezeActivatedEips(shared)
}
