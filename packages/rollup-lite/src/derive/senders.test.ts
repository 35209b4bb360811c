import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { getAddress, type Hex, parseTransaction, recoverTransactionAddress } from 'viem'
import { expect, test } from 'vitest'
import { loadCrypto } from '../chain/crypto.ts'
import { decodeBatch, encodeBatch } from '../protocol/codec/channel.ts'
import { makeTraffic } from '../protocol/codec/fixtures.ts'
import { InvalidSignatureError, recoverSender as recover, recoverFromPayload } from './senders.ts'

const crypto = await loadCrypto()
const recoverSender = (raw: Hex) => recover(raw, crypto)

test('recovers the same sender as viem for EIP-1559 and legacy transactions', async () => {
  const blocks = await makeTraffic({ txs: 20, senders: 5, recipients: 3 })
  const golden = JSON.parse(readFileSync(join(import.meta.dirname, '../protocol/golden/batch-v1.json'), 'utf8'))
  const goldenTxs: Hex[] = golden.batch.blocks.flatMap((b: { transactions: Hex[] }) => b.transactions)
  expect(goldenTxs.some((t) => !t.startsWith('0x0'))).toBe(true) // legacy among them
  for (const raw of [...blocks.flatMap((b) => b.transactions), ...goldenTxs]) {
    expect(getAddress(recoverSender(raw))).toBe(
      await recoverTransactionAddress({ serializedTransaction: raw as never }),
    )
  }
})

test('a tampered signature recovers someone else or fails', async () => {
  const [block] = await makeTraffic({ txs: 1 })
  const raw = block!.transactions[0]!
  const tampered = `${raw.slice(0, -4)}${raw.slice(-4) === 'abcd' ? '1234' : 'abcd'}` as Hex
  const sender = recoverSender(raw)
  try {
    expect(recoverSender(tampered)).not.toBe(sender)
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidSignatureError)
  }
  expect(parseTransaction(tampered).nonce).toBe(parseTransaction(raw).nonce)
})

test('the decoder hands out signing payloads that recover the same senders', async () => {
  const blocks = await makeTraffic({ txs: 30, senders: 5, recipients: 3 })
  const raws = blocks.flatMap((b) => b.transactions)
  const fromPayloads: string[] = []
  decodeBatch(encodeBatch({ chainId: 42_069n, parentHash: `0x${'00'.repeat(32)}`, blocks }), (payload, sig) =>
    fromPayloads.push(recoverFromPayload(payload, sig, crypto)),
  )
  expect(fromPayloads).toEqual(raws.map((r) => recoverSender(r)))
})
