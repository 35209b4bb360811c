/**
 * A runaway call in the node running in a Chromium Web Worker (issue 12): it is stopped at the
 * call timeout, and meanwhile the same Worker keeps answering, executing and sealing.
 */
import { type Hex, parseGwei } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_CHAIN_ID, TEST_KEYS, testGenesis } from '../src/testing.ts'
import { openTestPage, type TestPage } from './browser/open.ts'

const genesisJson = JSON.stringify(testGenesis(), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))
const LOOP_ADDRESS = '0x0000000000000000000000000000000000001001'

type Outcome = {
  runaway: { code?: number; message?: string; ms: number }
  probes: number[]
  headBefore: string
  headDuring: string
  receiptStatus: string
  sealedWhileRunning: boolean
}

describe('hostile input to the node in a Chromium Worker', () => {
  let page: TestPage
  let close: () => Promise<void>

  beforeAll(async () => {
    ;({ page, close } = await openTestPage())
  })
  afterAll(async () => {
    await close?.()
  })

  it('stops a runaway eth_call at its timeout without stopping the sequencer', async () => {
    // A 1 s call timeout: the 50M-gas loop below takes longer than that in Chromium (~2.5 s).
    await page.evaluate(
      (g) => (globalThis as any).rollupTest.start('hostile', g, 0, undefined, undefined, { callTimeoutMs: 1_000 }),
      genesisJson,
    )
    const account = privateKeyToAccount(TEST_KEYS[0] as Hex)
    const raw = await account.signTransaction({
      chainId: TEST_CHAIN_ID,
      type: 'eip1559',
      to: '0x0000000000000000000000000000000000000b0b',
      value: 1n,
      nonce: 0,
      gas: 21_000n,
      maxFeePerGas: parseGwei('10'),
      maxPriorityFeePerGas: 1n,
    })
    const outcome = await page.evaluate(
      async ([raw, loop]) => {
        const t = (globalThis as any).rollupTest
        const headBefore = await t.request('eth_blockNumber')
        const started = performance.now()
        let finished = false
        const runaway = t
          .request('eth_call', [{ to: loop, gas: '0x165a0bc00' }, 'latest', { [loop]: { code: '0x5b5f56' } }])
          .then(
            () => ({ ms: performance.now() - started }),
            (e: { code: number; message: string }) => ({
              code: e.code,
              message: e.message,
              ms: performance.now() - started,
            }),
          )
          .finally(() => {
            finished = true
          })
        const probes: number[] = []
        const probing = (async () => {
          while (!finished) {
            const s = performance.now()
            await t.request('eth_blockNumber')
            probes.push(performance.now() - s)
            await new Promise((r) => setTimeout(r, 50))
          }
        })()
        // While the call runs: a tx is executed and sealed, and eth_blockNumber keeps answering.
        const { hashes } = await t.sendAll([raw])
        await t.seal()
        const sealedWhileRunning = !finished
        const headDuring = await t.request('eth_blockNumber')
        const receipt = await t.request('eth_getTransactionReceipt', [hashes[0]])
        await probing
        return {
          runaway: await runaway,
          probes,
          headBefore,
          headDuring,
          receiptStatus: receipt.status,
          sealedWhileRunning,
        }
      },
      [raw, LOOP_ADDRESS] as const,
    )
    const o = outcome as Outcome
    expect(o.runaway.code).toBe(-32000)
    expect(o.runaway.message).toMatch(/execution aborted \(timeout = 1s\)/)
    expect(BigInt(o.headDuring)).toBeGreaterThan(BigInt(o.headBefore))
    expect(o.receiptStatus).toBe('0x1')
    expect(o.sealedWhileRunning).toBe(true)
    expect(o.probes.length).toBeGreaterThan(3)
    expect(Math.max(...o.probes)).toBeLessThan(2_000)
  })
})
