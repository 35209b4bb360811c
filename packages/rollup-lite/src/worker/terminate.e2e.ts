/**
 * Durable admission in the browser: the node runs in a real Web Worker over IndexedDB in headless
 * Chromium; 8 senders stream transfers at it, the Worker is terminated (no close) at a random
 * point of the stream, a new Worker opens the same database, and every tx whose hash was answered
 * must have its receipt. 20 rounds on one database.
 */
import { type Hex, parseGwei } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestPage, type TestPage } from '../../test/browser/open.ts'
import { TEST_CHAIN_ID, testGenesis } from '../testing.ts'

const ROUNDS = 20
const TXS_PER_SENDER = 25
const RECIPIENT = '0x000000000000000000000000000000000007e5a1'
const senders = Array.from({ length: 8 }, () => privateKeyToAccount(generatePrivateKey()))
const genesisJson = JSON.stringify(
  testGenesis(Object.fromEntries(senders.map((s) => [s.address, { balance: 10n ** 21n }]))),
  (_k, v) => (typeof v === 'bigint' ? `${v}n` : v),
)

describe('rollup-lite Worker terminated mid-stream (Chromium, IndexedDB)', () => {
  let page: TestPage
  let close: () => Promise<void>
  const call = <T>(fn: string, ...args: unknown[]) =>
    page.evaluate(([f, a]) => (globalThis as any).rollupTest[f as string](...(a as unknown[])), [
      fn,
      args,
    ] as const) as Promise<T>
  /** The receipts of `hashes`, read one by one in the page: one round trip to it per round, not per tx. */
  const receiptsOf = (hashes: Hex[]) =>
    page.evaluate(async (all) => {
      const receipts: unknown[] = []
      for (const hash of all)
        receipts.push(await (globalThis as any).rollupTest.request('eth_getTransactionReceipt', [hash]))
      return receipts
    }, hashes)

  beforeAll(async () => {
    ;({ page, close } = await openTestPage())
  })
  afterAll(async () => {
    await close?.()
  })

  it(`keeps every answered tx: ${ROUNDS} rounds, terminated at a random point`, async () => {
    await call('start', 'terminate', genesisJson, 0)
    let answeredTotal = 0
    for (let round = 0; round < ROUNDS; round++) {
      const raws: Hex[][] = []
      for (const s of senders) {
        const nonce = Number(await call<Hex>('request', 'eth_getTransactionCount', [s.address, 'latest']))
        const own: Hex[] = []
        for (let i = 0; i < TXS_PER_SENDER; i++) {
          own.push(
            await s.signTransaction({
              chainId: TEST_CHAIN_ID,
              type: 'eip1559',
              to: RECIPIENT,
              value: 1n,
              nonce: nonce + i,
              gas: 21_000n,
              maxFeePerGas: parseGwei('10'),
              maxPriorityFeePerGas: 1n,
            }),
          )
        }
        raws.push(own)
      }
      const killAt = 1 + Math.floor(Math.random() * (senders.length * TXS_PER_SENDER - 1))
      const answered = await call<Hex[]>('sendAndTerminate', raws, killAt)
      answeredTotal += answered.length

      await call('start', 'terminate', genesisJson, 0)
      const receipts = await receiptsOf(answered)
      answered.forEach((hash, i) => {
        expect(receipts[i], `round ${round}: answered tx ${hash} lost`).toMatchObject({ status: '0x1' })
      })
    }
    expect(answeredTotal).toBeGreaterThan(ROUNDS)
    await call('stop')
  })
})
