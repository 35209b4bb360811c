/**
 * Durable admission in the browser: the node runs in a real Web Worker over IndexedDB in headless
 * Chromium; 8 senders stream transfers at it, the Worker is terminated (no close) at a random
 * point of the stream, a new Worker opens the same database, and every tx whose hash was answered
 * must have its receipt, in the block that holds it. After each restart the chain is walked from
 * where the last walk stopped: no block missing, each links to its parent, no tx in two blocks, and
 * every tx's receipt points at the block and index that hold it (IndexedDB holds one record per
 * block: a lost, half-written or duplicated one shows here). 20 rounds on one database.
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

  /**
   * Blocks `from`..head, walked in the page: what is wrong with them (empty when nothing is), the
   * head, its hash, and the block each tx is in.
   */
  const walkChain = (from: number, parentHash: Hex | undefined) =>
    page.evaluate(
      async ([start, parent]) => {
        const request = (globalThis as any).rollupTest.request as (m: string, p: unknown[]) => Promise<any>
        const problems: string[] = []
        const blockOf: Record<string, number> = {}
        const head = Number(await request('eth_blockNumber', []))
        let previous = parent
        for (let n = start; n <= head; n++) {
          const block = await request('eth_getBlockByNumber', [`0x${n.toString(16)}`, false])
          if (!block) {
            problems.push(`block ${n} missing below head ${head}`)
            previous = undefined
            continue
          }
          if (previous !== undefined && block.parentHash !== previous)
            problems.push(`block ${n}: parent is not block ${n - 1}`)
          previous = block.hash
          for (const [index, hash] of (block.transactions as string[]).entries()) {
            if (blockOf[hash] !== undefined) problems.push(`tx ${hash} in blocks ${blockOf[hash]} and ${n}`)
            blockOf[hash] = n
            const receipt = await request('eth_getTransactionReceipt', [hash])
            if (receipt?.blockHash !== block.hash || Number(receipt.transactionIndex) !== index)
              problems.push(`tx ${hash}: its receipt is not the one of block ${n}, index ${index}`)
          }
        }
        return { problems, head, headHash: previous, blockOf }
      },
      [from, parentHash] as const,
    )

  beforeAll(async () => {
    ;({ page, close } = await openTestPage())
  })
  afterAll(async () => {
    await close?.()
  })

  it(`keeps every answered tx: ${ROUNDS} rounds, terminated at a random point`, async () => {
    await call('start', 'terminate', genesisJson, 0)
    let answeredTotal = 0
    let walked = { head: 0, headHash: undefined as Hex | undefined }
    const blockOf: Record<string, number> = {}
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
      const walk = await walkChain(walked.head + 1, walked.headHash)
      expect(walk.problems, `round ${round}`).toEqual([])
      for (const [hash, n] of Object.entries(walk.blockOf)) {
        expect(blockOf[hash], `round ${round}: tx ${hash} again in block ${n}`).toBeUndefined()
        blockOf[hash] = n
      }
      for (const hash of answered) expect(blockOf[hash], `round ${round}: ${hash} in no block`).toBeDefined()
      walked = { head: walk.head, headHash: walk.headHash as Hex }
    }
    expect(answeredTotal).toBeGreaterThan(ROUNDS)
    await call('stop')
  })
})
