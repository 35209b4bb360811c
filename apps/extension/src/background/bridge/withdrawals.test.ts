/**
 * Which message-passer logs are the wallet's withdrawals: ETH its rollup account sent, Seed USD the L2 bridge
 * burnt for it (decoded from the L1 call it carries); not other accounts', not other tokens'. A record is written
 * once: finding it again (the scan after a worker restart) keeps its timeline.
 */
import {
  hashWithdrawal,
  L1_STANDARD_BRIDGE,
  L1StandardBridgeAbi,
  L2_STANDARD_BRIDGE,
  L2_TO_L1_MESSAGE_PASSER,
  L2ToL1MessagePasserAbi,
} from '@seed/contracts'
import { type Address, encodeAbiParameters, encodeEventTopics, encodeFunctionData, type Hex, type Log, pad } from 'viem'
import { beforeEach, describe, expect, test } from 'vitest'
import { stored } from '../../core/storage.ts'
import { useMemoryExtension } from '../../test-support/memory-extension.ts'
import type { BridgeContext } from './chains.ts'
import { recordWithdrawals } from './withdrawals.ts'

const rollupAccount: Address = '0x00000000000000000000000000000000000000a1'
const smartAccount: Address = '0x00000000000000000000000000000000000000b2'
const usd: Address = '0x00000000000000000000000000000000000000c3'
const inbox: Address = '0x00000000000000000000000000000000000000d4'
const ctx = { rollupAccount, smartAccount, usd, inbox } as BridgeContext
let nonce = 0n

function messagePassed(w: { sender: Address; target: Address; value: bigint; data: Hex }): Log {
  const withdrawal = { nonce: nonce++, gasLimit: 100_000n, ...w }
  const withdrawalHash = hashWithdrawal(withdrawal)
  return {
    address: L2_TO_L1_MESSAGE_PASSER,
    topics: encodeEventTopics({
      abi: L2ToL1MessagePasserAbi,
      eventName: 'MessagePassed',
      args: { nonce: withdrawal.nonce, sender: w.sender, target: w.target },
    }) as Log['topics'],
    data: encodeAbiParameters(
      [{ type: 'uint256' }, { type: 'uint256' }, { type: 'bytes' }, { type: 'bytes32' }],
      [w.value, withdrawal.gasLimit, w.data, withdrawalHash],
    ),
    blockNumber: 7n,
    transactionHash: pad('0x01', { size: 32 }),
    blockHash: pad('0x02', { size: 32 }),
    logIndex: 0,
    transactionIndex: 0,
    removed: false,
  }
}

const usdWithdrawal = (from: Address, token: Address) =>
  messagePassed({
    sender: L2_STANDARD_BRIDGE,
    target: L1_STANDARD_BRIDGE,
    value: 0n,
    data: encodeFunctionData({
      abi: L1StandardBridgeAbi,
      functionName: 'finalizeWithdrawal',
      args: [inbox, token, from, smartAccount, 5_000_000n],
    }),
  })

beforeEach(() => {
  useMemoryExtension()
})

describe('recordWithdrawals', () => {
  test("the rollup account's ETH and Seed USD withdrawals are recorded with what L1 needs", async () => {
    const eth = await recordWithdrawals(
      [messagePassed({ sender: rollupAccount, target: smartAccount, value: 2n * 10n ** 17n, data: '0x' })],
      ctx,
    )
    expect(eth).toMatchObject({ asset: 'eth', amount: '200000000000000000', to: smartAccount, l2Block: 7 })
    expect(eth?.timeline.map((t) => t.stage)).toEqual(['initiated'])

    const tokens = await recordWithdrawals([usdWithdrawal(rollupAccount, usd)], ctx)
    expect(tokens).toMatchObject({ asset: 'usd', amount: '5000000', to: smartAccount })
    expect(tokens?.withdrawal.sender).toBe(L2_STANDARD_BRIDGE)
    expect(await stored.withdrawals.all()).toHaveLength(2)
  })

  test("another account's withdrawal, or another token's, is not the wallet's", async () => {
    const stranger: Address = '0x00000000000000000000000000000000000000e5'
    const logs = [
      messagePassed({ sender: stranger, target: stranger, value: 1n, data: '0x' }),
      usdWithdrawal(stranger, usd),
      usdWithdrawal(rollupAccount, stranger),
    ]
    expect(await recordWithdrawals(logs, ctx)).toBeUndefined()
    expect(await stored.withdrawals.all()).toEqual([])
  })

  test('found again (a scan after a restart), a record keeps what it had', async () => {
    const log = messagePassed({ sender: rollupAccount, target: smartAccount, value: 1n, data: '0x' })
    const first = (await recordWithdrawals([log], ctx))!
    const item = stored.withdrawals.item(first.withdrawalHash)
    await item.set({
      ...first,
      proveTx: pad('0x03', { size: 32 }),
      timeline: [...first.timeline, { stage: 'proven', at: 1 }],
    })
    const again = await recordWithdrawals([log], ctx)
    expect(again?.proveTx).toBe(pad('0x03', { size: 32 }))
    expect((await item.get())?.timeline.map((t) => t.stage)).toEqual(['initiated', 'proven'])
  })
})
