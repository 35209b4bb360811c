/**
 * Differential test of the execution fast paths: the same blocks replayed through the node's
 * executor (flat account cache, plain-transfer path, signing hash from raw bytes) and through the
 * reference path (ethereumjs' own caches, every tx in runTx). Block hashes cover the state root,
 * receipts root (status, cumulative gas, logs, bloom), gas used and bloom; stored receipts are
 * compared field by field.
 */

import { encodeReceipt } from '@ethereumjs/vm'
import { TestTokenAbi, TestTokenBytecode, TestTokenDeployedBytecode } from '@seed/contracts'
import {
  type Address,
  bytesToHex,
  encodeAbiParameters,
  encodeDeployData,
  encodeFunctionData,
  type Hex,
  keccak256,
  numberToHex,
  parseGwei,
  type TransactionSerializable,
} from 'viem'
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { loadCrypto } from '../chain/crypto.ts'
import type { Genesis } from '../chain/types.ts'
import { createReplayExecutor } from '../derive/replay.ts'
import type { BatchBlock } from '../protocol/types.ts'
import { ChainStore } from '../state/chain-store.ts'
import type { KV } from '../state/kv.ts'
import { memoryKv } from '../state/memory-kv.ts'
import { encodeReceiptBytes } from './receipt-bytes.ts'

const CHAIN_ID = 31338
const KEYS = Array.from({ length: 7 }, (_, i) => `0x${(0xa11ce0 + i).toString(16).padStart(64, '0')}` as Hex)
type Signer = PrivateKeyAccount
const [alice, bob, carol, dave, miner, poor] = KEYS.map((k) => privateKeyToAccount(k)) as [
  Signer,
  Signer,
  Signer,
  Signer,
  Signer,
  Signer,
]
const TOKEN: Address = '0x00000000000000000000000000000000000e2c20'
const IDENTITY: Address = '0x0000000000000000000000000000000000000004'
const fresh = (i: number) => `0x${(0xf00000 + i).toString(16).padStart(40, '0')}` as Address

function genesisWith(coinbase?: Address): Genesis {
  const alloc: Genesis['alloc'] = {}
  for (const a of [alice, bob, carol, dave]) alloc[a.address] = { balance: 10n ** 24n }
  alloc[fresh(99)] = { balance: 0n, nonce: 1n } // exists, empty balance
  const balanceSlot = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [alice.address, 0n]))
  alloc[TOKEN] = {
    code: TestTokenDeployedBytecode,
    storage: {
      [balanceSlot]: numberToHex(10n ** 24n, { size: 32 }),
      [numberToHex(2n, { size: 32 })]: numberToHex(10n ** 24n, { size: 32 }),
    },
  }
  return { chainId: CHAIN_ID, timestamp: 1_700_000_000, ...(coinbase && { coinbase }), alloc }
}

const nonces = new Map<Signer, number>()
async function tx(from: Signer, fields: Partial<TransactionSerializable>): Promise<Hex> {
  const nonce = nonces.get(from) ?? 0
  nonces.set(from, nonce + 1)
  const base = { chainId: CHAIN_ID, nonce, gas: 21_000n, ...fields }
  if (fields.type === 'legacy' || fields.type === 'eip2930')
    return from.signTransaction({
      gasPrice: parseGwei('3'),
      ...base,
    } as TransactionSerializable)
  return from.signTransaction({
    type: 'eip1559',
    maxFeePerGas: parseGwei('100'),
    maxPriorityFeePerGas: 7n,
    ...base,
  } as TransactionSerializable)
}

async function replayBoth(genesis: Genesis, blocks: BatchBlock[]) {
  const kvs: KV[] = [memoryKv(), memoryKv()]
  const fast = await createReplayExecutor({ kv: kvs[0] as KV, genesis })
  const plain = await createReplayExecutor({ kv: kvs[1] as KV, genesis, plain: true })
  const { keccak256: hash } = await loadCrypto()
  const stores = kvs.map((kv) => new ChainStore(kv, hash))
  for (const block of blocks) {
    const a = await fast.executeBlock(block)
    const b = await plain.executeBlock(block)
    expect(a).toEqual(b)
    expect(await stores[0]?.receipts(block.number)).toEqual(await stores[1]?.receipts(block.number))
  }
  return stores[0] as ChainStore
}

describe('plain-transfer fast path and flat account cache (differential against runTx)', () => {
  it('produces the same blocks, state roots and receipts for transfers and everything around them', async () => {
    nonces.clear()
    const token = (to: Address, amount: bigint) =>
      encodeFunctionData({ abi: TestTokenAbi, functionName: 'transfer', args: [to, amount] })
    const t0 = 1_700_000_010n
    const blocks: BatchBlock[] = [
      {
        number: 1n,
        timestamp: t0,
        transactions: [
          await tx(alice, { to: fresh(1), value: 1n }), // new recipient
          await tx(alice, { to: fresh(1), value: 10n ** 18n }), // existing recipient
          await tx(bob, { to: alice.address, value: 5n, gas: 60_000n }), // unused gas refunded
          await tx(carol, { type: 'legacy', to: fresh(2), value: 3n }),
          await tx(dave, { type: 'eip2930', to: fresh(3), value: 4n }),
          await tx(dave, {
            type: 'eip2930',
            to: fresh(3),
            value: 4n,
            gas: 30_000n,
            accessList: [{ address: fresh(3), storageKeys: [] }],
          }),
          await tx(bob, { to: fresh(4), value: 0n }), // zero value: EIP-158 leaves no account
          await tx(bob, { to: fresh(99), value: 1n }), // an existing empty-balance account
          await tx(carol, { to: IDENTITY, value: 1n, gas: 30_000n }), // a precompile
          await tx(carol, { to: carol.address, value: 1n }), // to itself
          await tx(alice, { to: TOKEN, value: 1n, gas: 60_000n }), // to code: reverts
          await tx(alice, { to: TOKEN, data: token(bob.address, 5n), gas: 80_000n }), // logs
          await tx(dave, { to: fresh(5), value: 1n, maxPriorityFeePerGas: 0n }), // no tip to an empty coinbase
        ],
      },
      {
        number: 2n,
        timestamp: t0 + 1n,
        transactions: [
          await tx(bob, { to: fresh(1), value: 2n }),
          await tx(alice, { to: fresh(6), value: 1n, maxFeePerGas: parseGwei('1') }), // fee cap at the base fee
          await tx(carol, { type: 'legacy', to: bob.address, value: 1n, gasPrice: parseGwei('1') }),
        ],
      },
      { number: 3n, timestamp: t0 + 2n, transactions: [] },
    ]
    const store = await replayBoth(genesisWith(), blocks)
    const receipts = (await store.receipts(1n)) ?? []
    expect(receipts.map((r) => r.status)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1])
    expect(receipts[11]?.logs).toHaveLength(1)
  })

  it('agrees with a funded coinbase, transfers to and from it, and zero tips', async () => {
    nonces.clear()
    const coinbase = miner.address
    const genesis = genesisWith(coinbase)
    genesis.alloc[coinbase] = { balance: 10n ** 20n }
    const blocks: BatchBlock[] = [
      {
        number: 1n,
        timestamp: 1_700_000_010n,
        transactions: [
          await tx(alice, { to: coinbase, value: 1n }),
          await tx(miner, { to: fresh(1), value: 1n }),
          await tx(bob, { to: fresh(2), value: 1n, maxPriorityFeePerGas: 0n }),
          await tx(carol, { type: 'legacy', to: fresh(3), value: 1n, gasPrice: parseGwei('1') }), // tip 0, legacy
        ],
      },
    ]
    await replayBoth(genesis, blocks)
  })

  it('agrees when one block writes many accounts and slots, empties a slot and deploys a contract', async () => {
    // The seal's flush updates each trie in one pass over its dirty keys (state/batch-trie.ts):
    // many new leaves and branch splits, a slot deleted beside slots written, and a new account
    // whose code and constructor storage reach the tries in the same flush.
    nonces.clear()
    const token = (to: Address, amount: bigint) =>
      encodeFunctionData({ abi: TestTokenAbi, functionName: 'transfer', args: [to, amount] })
    const transactions: Hex[] = [
      await tx(dave, {
        data: encodeDeployData({ abi: TestTokenAbi, bytecode: TestTokenBytecode, args: ['Two', 'TWO'] }),
        gas: 3_000_000n,
      }),
    ]
    for (let i = 0; i < 30; i++)
      transactions.push(await tx(alice, { to: TOKEN, data: token(fresh(100 + i), 1n), gas: 80_000n }))
    transactions.push(await tx(alice, { to: TOKEN, data: token(bob.address, 10n ** 24n - 30n), gas: 80_000n })) // alice's slot emptied
    for (let i = 0; i < 40; i++)
      transactions.push(await tx([bob, carol][i % 2] as Signer, { to: fresh(200 + i), value: 1n }))
    // Storage written in a frame that reverts, rewritten within the block, and cleared.
    const [writesThenReverts, writesNumber, clearsSlot] = [fresh(300), fresh(301), fresh(302)]
    for (const to of [writesThenReverts, writesNumber, writesNumber, clearsSlot])
      transactions.push(await tx(dave, { to, gas: 60_000n }))
    const blocks: BatchBlock[] = [
      { number: 1n, timestamp: 1_700_000_010n, transactions },
      {
        number: 2n,
        timestamp: 1_700_000_011n,
        transactions: [
          await tx(bob, { to: TOKEN, data: token(alice.address, 7n), gas: 80_000n }), // the emptied slot written again
          await tx(carol, { to: fresh(200), value: 1n }),
        ],
      },
    ]
    const genesis = genesisWith()
    genesis.alloc[writesThenReverts] = { code: '0x600160005560006000fd' } // SSTORE(0, 1); REVERT
    genesis.alloc[writesNumber] = { code: '0x4360005500', storage: { '0x00': '0x07' } } // SSTORE(0, NUMBER)
    genesis.alloc[clearsSlot] = { code: '0x600060015500', storage: { '0x01': '0x05' } } // SSTORE(1, 0)
    const store = await replayBoth(genesis, blocks)
    expect(((await store.receipts(1n)) ?? []).map((r) => r.status)).toEqual([...Array(72).fill(1), 0, 1, 1, 1])
    expect(((await store.receipts(2n)) ?? []).every((r) => r.status === 1)).toBe(true)
  })

  it('rejects the same invalid transfers on both paths', async () => {
    nonces.clear()
    const genesis = genesisWith()
    genesis.alloc[poor.address] = { balance: 21_000n * parseGwei('100') } // not enough for value + max fee
    const cases = [
      await tx(poor, { to: fresh(1), value: 1n }), // insufficient funds
      await tx(alice, { to: fresh(1), value: 1n, nonce: 5 }), // nonce too high
      await tx(bob, { to: fresh(1), value: 1n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }), // below the base fee
    ]
    for (const raw of cases) {
      const errors: string[] = []
      for (const plain of [false, true]) {
        const executor = await createReplayExecutor({ kv: memoryKv(), genesis, plain })
        errors.push(
          await executor.executeBlock({ number: 1n, timestamp: 1_700_000_010n, transactions: [raw] }).then(
            () => 'executed',
            (e: Error) => e.message,
          ),
        )
      }
      expect(errors[0]).not.toBe('executed')
      expect(errors[0]).toBe(errors[1])
    }
  })

  it('encodes receipts without logs for the receipts root byte for byte as ethereumjs', () => {
    const bloom = new Uint8Array(256)
    for (const type of [0, 1, 2, 4] as const)
      for (const status of [0, 1] as const)
        for (const gas of [0n, 1n, 0x7fn, 0x80n, 21_000n, 59_999_999n, 2n ** 64n]) {
          const receipt = { status, cumulativeBlockGasUsed: gas, bitvector: bloom, logs: [] }
          expect(bytesToHex(encodeReceiptBytes(receipt, type))).toBe(bytesToHex(encodeReceipt(receipt, type)))
        }
  })
})
