/**
 * The EIP-2718 receipt encoding for the receipts root. A receipt without logs (every transfer,
 * most txs) is written straight into one buffer; ethereumjs' encodeReceipt goes through the
 * generic RLP encoder (an array per field, a copy per level, then another for the type prefix),
 * which showed as ~2% of a transfer's CPU. Anything else keeps ethereumjs' encoder.
 */

import type { TransactionType } from '@ethereumjs/tx'
import { bigIntToBytes } from '@ethereumjs/util'
import { encodeReceipt, type TxReceipt } from '@ethereumjs/vm'

const BLOOM_BYTES = 256

export function encodeReceiptBytes(receipt: TxReceipt, txType: TransactionType): Uint8Array {
  const bloom = receipt.bitvector
  if (receipt.logs.length > 0 || 'stateRoot' in receipt || bloom.length !== BLOOM_BYTES)
    return encodeReceipt(receipt, txType)
  // Fields as ethereumjs encodes them: status 1 = the byte 0x01 (RLP: itself), 0 = empty (0x80).
  const status = (receipt as { status: 0 | 1 }).status === 0 ? 0x80 : 0x01
  const gas = bigIntToBytes(receipt.cumulativeBlockGasUsed)
  const gasHeader = gas.length === 1 && (gas[0] as number) < 0x80 ? 0 : 1
  // Payload: status, gas, bloom (0xb9 0x01 0x00 + 256 bytes), empty logs list (0xc0): > 55 bytes
  // and < 65,536, so a list header of 0xf9 + two length bytes.
  const payload = 1 + gasHeader + gas.length + 3 + BLOOM_BYTES + 1
  const prefix = txType === 0 ? 0 : 1
  const out = new Uint8Array(prefix + 3 + payload)
  let at = 0
  if (prefix) out[at++] = txType
  out[at++] = 0xf9
  out[at++] = payload >> 8
  out[at++] = payload & 0xff
  out[at++] = status
  if (gasHeader) out[at++] = 0x80 + gas.length
  out.set(gas, at)
  at += gas.length
  out[at++] = 0xb9
  out[at++] = 0x01
  out[at++] = 0x00
  out.set(bloom, at)
  at += BLOOM_BYTES
  out[at] = 0xc0
  return out
}
