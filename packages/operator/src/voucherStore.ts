/**
 * The operator's latest accepted epoch voucher per bounty slot, in one JSON file written atomically
 * (temp file + rename): vouchers are the operator's pay, so they survive a restart until claimed.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { SignedEpochVoucher } from '@seed/contracts'
import type { Hex } from 'viem'

export type VoucherStore = {
  latest(bountyId: bigint, agentId: bigint): SignedEpochVoucher | undefined
  put(voucher: SignedEpochVoucher): void
}

type Stored = Record<string, { cumulativeAmount: string; signature: Hex }>

export function fileVoucherStore(path: string): VoucherStore {
  const key = (bountyId: bigint, agentId: bigint) => `${bountyId}:${agentId}`
  const read = (): Stored => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Stored) : {})
  return {
    latest(bountyId, agentId) {
      const v = read()[key(bountyId, agentId)]
      return v && { bountyId, agentId, cumulativeAmount: BigInt(v.cumulativeAmount), signature: v.signature }
    },
    put(v) {
      const all = read()
      all[key(v.bountyId, v.agentId)] = { cumulativeAmount: v.cumulativeAmount.toString(), signature: v.signature }
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(`${path}.tmp`, JSON.stringify(all, null, 2))
      renameSync(`${path}.tmp`, path)
    },
  }
}
