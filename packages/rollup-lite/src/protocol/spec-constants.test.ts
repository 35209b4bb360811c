/**
 * SPEC.md cannot drift from the code: every row of its constants tables (`| constant | value |
 * meaning |`) must be a constant listed here with the same value, every constant listed here must
 * be in SPEC.md, and the genesis example (§1.4) must be the genesis this code writes.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { L2_BRIDGE_INBOX_SLOT, L2_BRIDGE_L1_BRIDGE_SLOT } from '@seed/contracts'
import { describe, expect, test } from 'vitest'
import { createRollupNode } from '../create-node.ts'
import { MAX_CHANNEL_BYTES } from '../derive/sources.ts'
import { HISTORY_SERVE_WINDOW, HISTORY_STORAGE_ADDRESS } from '../exec/system-contracts.ts'
import { MAX_UNSAFE_BLOCK_MESSAGE_BYTES, UNSAFE_BLOCK_DOMAIN } from '../replica/unsafe-block.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { BASE_FEE_MAX_CHANGE_DENOMINATOR, ELASTICITY_MULTIPLIER, MIN_BASE_FEE } from './base-fee.ts'
import { ALIAS_OFFSET } from './bridge/aliasing.ts'
import { DEPOSIT_TX_TYPE, USER_DEPOSIT_SOURCE_DOMAIN } from './bridge/deposit.ts'
import {
  L2_STANDARD_BRIDGE,
  L2_TO_L1_MESSAGE_PASSER,
  SENT_MESSAGES_SLOT,
  WITHDRAWAL_NONCE_VERSION,
} from './bridge/withdrawal.ts'
import { ROLLUP_CHAIN_ID_BASE } from './chain-id.ts'
import { BLOB_ENCODING_VERSION, BYTES_PER_BLOB, MAX_BLOB_DATA_SIZE, MAX_BLOBS_PER_TX } from './codec/blob.ts'
import { MAX_COUNT, MAX_VARINT_BYTES } from './codec/bytes.ts'
import {
  CHANNEL_VERSION,
  CHANNEL_VERSION_V1,
  COMPRESSION_DEFLATE,
  MAX_BLOCKS_PER_CHANNEL,
  MAX_BODY_BYTES,
  MAX_DICTIONARY_SIZE,
  MAX_TXS_PER_BLOCK,
} from './codec/channel.ts'
import { DEFAULT_GAS } from './codec/columns.ts'
import {
  BLOCK_EXTRA_DATA,
  DEFAULT_COINBASE,
  DEFAULT_GAS_LIMIT,
  DEFAULT_INITIAL_BASE_FEE,
  L1_CONFIRMATION_DEPTH,
  MAX_BLOCK_TX_BYTES,
  MAX_TX_SIZE,
} from './config.ts'
import { parseGenesis } from './genesis-file.ts'
import { EMPTY_REQUESTS_HASH, EMPTY_TRIE_ROOT } from './header.ts'
import { NO_WITHDRAWALS_ROOT, OUTPUT_VERSION } from './output-root.ts'

const CODE: Record<string, bigint | number | string> = {
  ROLLUP_CHAIN_ID_BASE,
  DEFAULT_GAS_LIMIT,
  DEFAULT_INITIAL_BASE_FEE,
  DEFAULT_COINBASE,
  BLOCK_EXTRA_DATA,
  MAX_TX_SIZE,
  MAX_BLOCK_TX_BYTES,
  EMPTY_TRIE_ROOT,
  EMPTY_REQUESTS_HASH,
  HISTORY_STORAGE_ADDRESS,
  HISTORY_SERVE_WINDOW,
  L1_CONFIRMATION_DEPTH,
  ELASTICITY_MULTIPLIER,
  BASE_FEE_MAX_CHANGE_DENOMINATOR,
  MIN_BASE_FEE,
  CHANNEL_VERSION,
  CHANNEL_VERSION_V1,
  COMPRESSION_DEFLATE,
  MAX_BODY_BYTES,
  MAX_BLOCKS_PER_CHANNEL,
  MAX_TXS_PER_BLOCK,
  MAX_DICTIONARY_SIZE,
  MAX_VARINT_BYTES,
  MAX_COUNT,
  DEFAULT_GAS,
  BYTES_PER_BLOB,
  BLOB_ENCODING_VERSION,
  MAX_BLOB_DATA_SIZE,
  MAX_BLOBS_PER_TX,
  MAX_CHANNEL_BYTES,
  OUTPUT_VERSION,
  NO_WITHDRAWALS_ROOT,
  DEPOSIT_TX_TYPE,
  USER_DEPOSIT_SOURCE_DOMAIN,
  ALIAS_OFFSET,
  L2_TO_L1_MESSAGE_PASSER,
  L2_STANDARD_BRIDGE,
  SENT_MESSAGES_SLOT,
  WITHDRAWAL_NONCE_VERSION,
  L2_BRIDGE_L1_BRIDGE_SLOT: BigInt(L2_BRIDGE_L1_BRIDGE_SLOT),
  L2_BRIDGE_INBOX_SLOT: BigInt(L2_BRIDGE_INBOX_SLOT),
  UNSAFE_BLOCK_DOMAIN,
  MAX_UNSAFE_BLOCK_MESSAGE_BYTES,
}

const spec = readFileSync(join(import.meta.dirname, '../../SPEC.md'), 'utf8')
const cells = (line: string) =>
  line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim())

/** Rows of every table whose header is `| constant | value | meaning |`. */
function specConstants(): Map<string, string> {
  const rows = new Map<string, string>()
  let inTable = false
  for (const line of spec.split('\n')) {
    if (!line.startsWith('|')) {
      inTable = false
      continue
    }
    const [name, value] = cells(line)
    if (name === 'constant' && value === 'value') inTable = true
    else if (inTable && !/^-+$/.test(name as string)) {
      const constant = /^`([A-Z0-9_]+)`$/.exec(name as string)?.[1]
      if (!constant) throw new Error(`SPEC.md constants row without a constant name: ${line}`)
      if (rows.has(constant)) throw new Error(`SPEC.md lists ${constant} twice`)
      rows.set(constant, value as string)
    }
  }
  return rows
}

/** The spec writes numbers with thousands separators and hex with `0x`; hashes and addresses are compared as text. */
function sameValue(specValue: string, code: bigint | number | string): boolean {
  if (typeof code === 'string') return specValue.toLowerCase() === code.toLowerCase()
  const text = specValue.replaceAll(',', '')
  return /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(text) && BigInt(text) === BigInt(code)
}

describe('SPEC.md constants', () => {
  const rows = specConstants()

  test('every constant in SPEC.md is one of the code', () => {
    expect([...rows.keys()].filter((name) => !(name in CODE))).toEqual([])
  })

  test('every protocol constant of the code is in SPEC.md', () => {
    expect(Object.keys(CODE).filter((name) => !rows.has(name))).toEqual([])
  })

  for (const [name, value] of rows) {
    test(`${name} = ${value}`, () => {
      expect(sameValue(value, CODE[name] as bigint | number | string), `code: ${CODE[name]}`).toBe(true)
    })
  }

  test('the genesis example of §1.4 is the genesis this code writes', async () => {
    const block = /<!-- genesis-example -->\n```\n([\s\S]*?)```/.exec(spec)?.[1]
    const field = (key: string) => new RegExp(`^${key}\\s+(.+)$`, 'm').exec(block ?? '')?.[1]
    const node = await createRollupNode({ kv: memoryKv(), genesis: parseGenesis(JSON.parse(field('genesis')!)) })
    const genesis = await node.block(0n)
    await node.close()
    expect({ stateRoot: genesis?.header.stateRoot, hash: genesis?.hash }).toEqual({
      stateRoot: field('stateRoot'),
      hash: field('hash'),
    })
  })
})
