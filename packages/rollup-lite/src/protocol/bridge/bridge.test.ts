/**
 * Golden vectors of the bridge definitions (SPEC.md §10): deposit logs → deposits → 0x7E deposit
 * transactions (sourceHash, bytes, hash), address aliasing, withdrawal hashes and their message
 * passer storage slots, output roots with a message passer storage root. Each value is checked
 * three ways: against the JSON (which an independent implementer can use alone), against this
 * package's code, and against an independent implementation (viem's op-stack utilities, ethers).
 * Regenerate (only with a version bump) with
 * `UPDATE_GOLDEN=1 pnpm vitest run --project unit packages/rollup-lite/src/protocol/bridge/bridge`.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AbiCoder, getAddress as ethersGetAddress, keccak256 as ethersKeccak, solidityPacked } from 'ethers'
import {
  type Address,
  encodeAbiParameters,
  encodeEventTopics,
  encodePacked,
  type Hex,
  keccak256,
  numberToHex,
  parseEther,
  toHex,
} from 'viem'
import {
  getSourceHash,
  getWithdrawalHashStorageSlot,
  opaqueDataToDepositData,
  serializeTransaction as opSerializeTransaction,
} from 'viem/op-stack'
import { describe, expect, test } from 'vitest'
import { outputRoot } from '../output-root.ts'
import { ALIAS_OFFSET, applyL1ToL2Alias, undoL1ToL2Alias } from './aliasing.ts'
import {
  type Deposit,
  type DepositLog,
  decodeDepositLog,
  depositSourceHash,
  depositTransaction,
  depositTransactionHash,
  parseDepositTransaction,
  portalEventsAbi,
  serializeDepositTransaction,
} from './deposit.ts'
import { DepositDecodeError } from './errors.ts'
import { depositsForOrigin, maxL1Origin } from './l1-origin.ts'
import { type Withdrawal, withdrawalHash, withdrawalNonce, withdrawalStorageSlot } from './withdrawal.ts'

const file = join(import.meta.dirname, '../golden', 'bridge-v1.json')
const h = (label: string): Hex => keccak256(toHex(label))
const addr = (label: string): Address => ethersGetAddress(h(label).slice(0, 42)) as Address
const INBOX = addr('inbox')
const U256_MAX = 2n ** 256n - 1n
const U64_MAX = 2n ** 64n - 1n

type DepositInput = {
  from: Address
  to: Address
  nonce: bigint
  mint: bigint
  value: bigint
  gasLimit: bigint
  isCreation: boolean
  data: Hex
  blockHash: Hex
  blockNumber: bigint
  logIndex: number
}

function depositLog(d: DepositInput): DepositLog {
  const opaqueData = encodePacked(
    ['uint256', 'uint256', 'uint64', 'bool', 'bytes'],
    [d.mint, d.value, d.gasLimit, d.isCreation, d.data],
  )
  return {
    topics: encodeEventTopics({
      abi: portalEventsAbi,
      eventName: 'TransactionDeposited',
      args: { inbox: INBOX, from: d.from, to: d.to },
    }) as Hex[],
    data: encodeAbiParameters([{ type: 'uint256' }, { type: 'bytes' }], [d.nonce, opaqueData]),
    blockHash: d.blockHash,
    blockNumber: d.blockNumber,
    logIndex: d.logIndex,
  }
}

const depositInputs: DepositInput[] = [
  // An EOA sends 1 ETH to itself: mint and value.
  {
    from: addr('alice'),
    to: addr('alice'),
    nonce: 0n,
    mint: parseEther('1'),
    value: parseEther('1'),
    gasLimit: 100_000n,
    isCreation: false,
    data: '0x',
    blockHash: h('l1 block 7'),
    blockNumber: 7n,
    logIndex: 0,
  },
  // A contract (the L1 standard bridge) calls the L2 bridge: aliased sender, no ETH, calldata.
  {
    from: applyL1ToL2Alias(addr('l1 standard bridge')),
    to: '0x4200000000000000000000000000000000000010',
    nonce: 1n,
    mint: 0n,
    value: 0n,
    gasLimit: 200_000n,
    isCreation: false,
    data: `0x${'ab'.repeat(4)}${'00'.repeat(12)}${addr('token').slice(2)}`,
    blockHash: h('l1 block 9'),
    blockNumber: 9n,
    logIndex: 3,
  },
  // A contract creation: `to` is ignored (zero), data is the init code.
  {
    from: addr('deployer'),
    to: '0x0000000000000000000000000000000000000000',
    nonce: 2n,
    mint: 5n,
    value: 0n,
    gasLimit: 1_000_000n,
    isCreation: true,
    data: '0x6080604052348015600f57600080fd5b50',
    blockHash: h('l1 block 9'),
    blockNumber: 9n,
    logIndex: 4,
  },
  // Extremes: every quantity at its maximum.
  {
    from: addr('whale'),
    to: addr('whale'),
    nonce: U256_MAX,
    mint: U256_MAX,
    value: U256_MAX,
    gasLimit: U64_MAX,
    isCreation: false,
    data: '0x00',
    blockHash: h('l1 block 2^32'),
    blockNumber: 2n ** 32n,
    logIndex: 65_535,
  },
]

const withdrawalInputs: Withdrawal[] = [
  {
    nonce: withdrawalNonce(0n),
    sender: addr('alice'),
    target: addr('alice'),
    value: parseEther('0.5'),
    gasLimit: 100_000n,
    data: '0x',
  },
  {
    nonce: withdrawalNonce(1n),
    sender: '0x4200000000000000000000000000000000000010',
    target: addr('l1 standard bridge'),
    value: 0n,
    gasLimit: 300_000n,
    data: `0x${'cd'.repeat(4)}${'00'.repeat(12)}${addr('token').slice(2)}`,
  },
  {
    nonce: withdrawalNonce(2n ** 64n),
    sender: addr('bob'),
    target: addr('carol'),
    value: U256_MAX,
    gasLimit: U64_MAX,
    data: '0x01',
  },
]

const aliasInputs: Address[] = [
  addr('l1 standard bridge'),
  '0x0000000000000000000000000000000000000000',
  '0xffffffffffffffffffffffffffffffffffffffff',
  '0xEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE',
]

const outputInputs = [
  { stateRoot: h('state 1'), messagePasserStorageRoot: h('storage 1'), blockHash: h('block 1') },
  {
    stateRoot: h('state 2'),
    // The empty trie: a message passer that never recorded a withdrawal.
    messagePasserStorageRoot: '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421' as Hex,
    blockHash: h('block 2'),
  },
]

const json = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x), 2)
const deposits = () =>
  depositInputs.map((input) => {
    const log = depositLog(input)
    const tx = depositTransaction(decodeDepositLog(log))
    const serialized = serializeDepositTransaction(tx)
    return { log, sourceHash: tx.sourceHash, transaction: tx, serialized, hash: depositTransactionHash(tx) }
  })

if (process.env.UPDATE_GOLDEN) {
  writeFileSync(
    file,
    `${json({
      version: 1,
      inbox: INBOX,
      deposits: deposits(),
      aliases: aliasInputs.map((l1) => ({ l1, l2: applyL1ToL2Alias(l1) })),
      withdrawals: withdrawalInputs.map((w) => ({
        withdrawal: w,
        hash: withdrawalHash(w),
        storageSlot: withdrawalStorageSlot(withdrawalHash(w)),
      })),
      outputs: outputInputs.map((o) => ({
        ...o,
        outputRoot: outputRoot({
          stateRoot: o.stateRoot,
          withdrawalStorageRoot: o.messagePasserStorageRoot,
          blockHash: o.blockHash,
        }),
      })),
    })}\n`,
  )
}

type Golden = {
  deposits: {
    log: DepositLog & { blockNumber: string }
    sourceHash: Hex
    transaction: Record<string, string | boolean | null>
    serialized: Hex
    hash: Hex
  }[]
  aliases: { l1: Address; l2: Address }[]
  withdrawals: { withdrawal: Record<string, string>; hash: Hex; storageSlot: Hex }[]
  outputs: { stateRoot: Hex; messagePasserStorageRoot: Hex; blockHash: Hex; outputRoot: Hex }[]
}
const golden = JSON.parse(readFileSync(file, 'utf8')) as Golden

describe('deposits', () => {
  test('the golden logs decode to the golden deposit transactions, bytes and hashes', () => {
    expect(json(deposits())).toBe(json(golden.deposits))
  })

  for (const [i, g] of golden.deposits.entries()) {
    test(`deposit ${i} agrees with viem's op-stack (sourceHash, opaqueData, serialization, hash)`, () => {
      const log = { ...g.log, blockNumber: BigInt(g.log.blockNumber) }
      const deposit: Deposit = decodeDepositLog(log)
      expect(getSourceHash({ domain: 'userDeposit', l1BlockHash: log.blockHash, l1LogIndex: log.logIndex })).toBe(
        g.sourceHash,
      )
      expect(depositSourceHash(log.blockHash, log.logIndex)).toBe(g.sourceHash)
      const opaque = AbiCoder.defaultAbiCoder().decode(['uint256', 'bytes'], log.data)[1] as string
      const reference = opaqueDataToDepositData(opaque as Hex)
      expect({
        mint: deposit.mint,
        value: deposit.value,
        gas: deposit.gasLimit,
        isCreation: deposit.isCreation,
        data: deposit.data,
      }).toEqual(reference)
      const viemSerialized = opSerializeTransaction({
        type: 'deposit',
        sourceHash: g.sourceHash,
        from: deposit.from,
        to: deposit.isCreation ? undefined : deposit.to,
        mint: deposit.mint,
        value: deposit.value,
        gas: deposit.gasLimit,
        isSystemTx: false,
        data: deposit.data,
      })
      expect(viemSerialized).toBe(g.serialized)
      expect(keccak256(viemSerialized)).toBe(g.hash)
      expect(parseDepositTransaction(g.serialized)).toEqual(depositTransaction(deposit))
    })
  }

  test('malformed deposit transactions and logs are refused with DepositDecodeError', () => {
    const valid = golden.deposits[0]!.serialized
    const bad: Hex[] = [
      '0x',
      '0x7e',
      `0x02${valid.slice(4)}`, // another type
      `${valid}00`, // trailing byte
      `0x7e${valid.slice(6)}`, // truncated RLP
      // gas 100,000 written with a leading zero byte: two encodings of one deposit
      valid
        .replace('830186a0', '84000186a0')
        .replace(/^0x7ef8([0-9a-f]{2})/, (_, n) => `0x7ef8${(Number.parseInt(n, 16) + 1).toString(16)}`) as Hex,
    ]
    for (const b of bad) expect(() => parseDepositTransaction(b), b).toThrow(DepositDecodeError)
    const log = { ...golden.deposits[0]!.log, blockNumber: 7n }
    const shortOpaque = encodeAbiParameters([{ type: 'uint256' }, { type: 'bytes' }], [0n, '0x00'])
    expect(() => decodeDepositLog({ ...log, data: shortOpaque })).toThrow(DepositDecodeError)
    expect(() => decodeDepositLog({ ...log, topics: [h('another event')] })).toThrow(DepositDecodeError)
    const badCreation = encodeAbiParameters(
      [{ type: 'uint256' }, { type: 'bytes' }],
      [0n, encodePacked(['uint256', 'uint256', 'uint64', 'uint8'], [0n, 0n, 0n, 2])],
    )
    expect(() => decodeDepositLog({ ...log, data: badCreation })).toThrow(DepositDecodeError)
  })

  test('a block moving its origin includes the deposits of (previous, next] in log order', () => {
    const all = golden.deposits.map((g) => decodeDepositLog({ ...g.log, blockNumber: BigInt(g.log.blockNumber) }))
    expect(depositsForOrigin([...all].reverse(), 7n, 9n).map((d) => d.nonce)).toEqual([1n, 2n])
    expect(depositsForOrigin(all, 6n, 7n).map((d) => d.nonce)).toEqual([0n])
    expect(depositsForOrigin(all, 9n, 9n)).toEqual([])
    expect(maxL1Origin(100n)).toBe(98n)
    expect(maxL1Origin(1n)).toBe(0n)
  })
})

describe('aliasing', () => {
  for (const g of golden.aliases) {
    test(`${g.l1} ↔ ${g.l2}`, () => {
      expect(applyL1ToL2Alias(g.l1)).toBe(g.l2)
      expect(undoL1ToL2Alias(g.l2)).toBe(ethersGetAddress(g.l1))
      const reference = (BigInt(g.l1) + ALIAS_OFFSET) % 2n ** 160n
      expect(BigInt(g.l2)).toBe(reference)
    })
  }
})

describe('withdrawals', () => {
  for (const [i, g] of golden.withdrawals.entries()) {
    test(`withdrawal ${i}: hash and storage slot, against ethers and viem`, () => {
      const w = g.withdrawal
      const parsed: Withdrawal = {
        nonce: BigInt(w.nonce!),
        sender: w.sender as Address,
        target: w.target as Address,
        value: BigInt(w.value!),
        gasLimit: BigInt(w.gasLimit!),
        data: w.data as Hex,
      }
      expect(withdrawalHash(parsed)).toBe(g.hash)
      const reference = ethersKeccak(
        AbiCoder.defaultAbiCoder().encode(
          ['uint256', 'address', 'address', 'uint256', 'uint256', 'bytes'],
          [parsed.nonce, parsed.sender, parsed.target, parsed.value, parsed.gasLimit, parsed.data],
        ),
      )
      expect(reference).toBe(g.hash)
      expect(withdrawalStorageSlot(g.hash)).toBe(g.storageSlot)
      expect(getWithdrawalHashStorageSlot({ withdrawalHash: g.hash })).toBe(g.storageSlot)
      expect(parsed.nonce >> 240n).toBe(1n)
    })
  }
})

describe('output roots', () => {
  for (const [i, g] of golden.outputs.entries()) {
    test(`output ${i} commits to the message passer storage root`, () => {
      expect(
        outputRoot({
          stateRoot: g.stateRoot,
          withdrawalStorageRoot: g.messagePasserStorageRoot,
          blockHash: g.blockHash,
        }),
      ).toBe(g.outputRoot)
      const reference = ethersKeccak(
        solidityPacked(
          ['bytes32', 'bytes32', 'bytes32', 'bytes32'],
          [numberToHex(0, { size: 32 }), g.stateRoot, g.messagePasserStorageRoot, g.blockHash],
        ),
      )
      expect(reference).toBe(g.outputRoot)
    })
  }
})
