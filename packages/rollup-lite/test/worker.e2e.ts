/**
 * The node in a real Web Worker over IndexedDB in headless Chromium: KV conformance on IndexedDB,
 * ERC-20 deploy/mint/transfer with receipts and logs, and a Worker restart that resumes the chain.
 */
import { TestTokenAbi, TestTokenBytecode } from '@seed/contracts'
import { encodeDeployData, encodeFunctionData, getContractAddress, type Hex, parseGwei } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_CHAIN_ID, TEST_KEYS, testGenesis } from '../src/testing.ts'
import { openTestPage, type TestPage } from './browser/open.ts'

const account = privateKeyToAccount(TEST_KEYS[0] as Hex)
const RECIPIENT = '0x0000000000000000000000000000000000000b0b'
const genesisJson = JSON.stringify(testGenesis(), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))

describe('rollup-lite in a Web Worker over IndexedDB (Chromium)', () => {
  let page: TestPage
  let close: () => Promise<void>
  const call = <T>(fn: string, ...args: unknown[]) =>
    page.evaluate(([f, a]) => (globalThis as any).rollupTest[f as string](...(a as unknown[])), [
      fn,
      args,
    ] as const) as Promise<T>

  beforeAll(async () => {
    ;({ page, close } = await openTestPage())
  })
  afterAll(async () => {
    await close?.()
  })

  it('IndexedDB KV passes the conformance suite', async () => {
    const results = await call<{ name: string; ok: boolean; error?: string }[]>('kvConformance', 'conformance')
    expect(results.filter((r) => !r.ok)).toEqual([])
    expect(results.length).toBeGreaterThan(5)
  })

  it('reads a store written before packs: its records until a later batch rewrites or deletes them', async () => {
    expect(await call('kvFromVersion1', 'version-1')).toEqual({ kept: [1], rewritten: [9], deleted: undefined })
  })

  it('runs an ERC-20 in the Worker and resumes the chain after the Worker restarts', async () => {
    const started = await call<{ chainId: string; head: string }>('start', 'chain-a', genesisJson, 0)
    expect(started).toEqual({ chainId: `0x${TEST_CHAIN_ID.toString(16)}`, head: '0x0' })
    const fees = {
      maxFeePerGas: parseGwei('10'),
      maxPriorityFeePerGas: 1n,
      chainId: TEST_CHAIN_ID,
      type: 'eip1559' as const,
    }
    const token = getContractAddress({ from: account.address, nonce: 0n })
    const raws = [
      await account.signTransaction({
        ...fees,
        nonce: 0,
        gas: 2_000_000n,
        data: encodeDeployData({ abi: TestTokenAbi, bytecode: TestTokenBytecode, args: ['B', 'B'] }),
      }),
      await account.signTransaction({
        ...fees,
        nonce: 1,
        gas: 100_000n,
        to: token,
        data: encodeFunctionData({ abi: TestTokenAbi, functionName: 'mint', args: [account.address, 100n] }),
      }),
      await account.signTransaction({
        ...fees,
        nonce: 2,
        gas: 100_000n,
        to: token,
        data: encodeFunctionData({ abi: TestTokenAbi, functionName: 'transfer', args: [RECIPIENT, 40n] }),
      }),
      await account.signTransaction({ ...fees, nonce: 3, gas: 21_000n, to: RECIPIENT, value: 7n }),
    ]
    const { hashes } = await call<{ hashes: Hex[] }>('sendAll', raws)
    // Each answer came once its block was on disk: the receipts name published blocks.
    const receipts: any[] = []
    for (const h of hashes) receipts.push(await call<any>('request', 'eth_getTransactionReceipt', [h]))
    expect(receipts.map((r) => r.status)).toEqual(['0x1', '0x1', '0x1', '0x1'])
    const block = await call<any>('request', 'eth_getBlockByNumber', ['latest', false])
    expect(block.hash).toBe(receipts[3].blockHash)
    for (const r of receipts) {
      const holder = await call<any>('request', 'eth_getBlockByHash', [r.blockHash, false])
      expect(holder.transactions).toContain(r.transactionHash)
    }
    const sealedHash = block.hash
    const logs = await call<any[]>('request', 'eth_getLogs', [{ address: token, fromBlock: '0x0' }])
    expect(logs).toHaveLength(2)
    expect(BigInt(logs[1].data)).toBe(40n)
    const messages = await page.evaluate(() => (globalThis as any).rollupTest.messages)
    expect(messages.some((m: any) => m.type === 'blockSealed' && m.hash === sealedHash)).toBe(true)

    // Restart the Worker on the same IndexedDB: the chain resumes at the sealed head.
    await call('stop')
    const restarted = await call<{ head: string }>('start', 'chain-a', genesisJson, 0)
    expect(restarted.head).toBe(block.number)
    const after = await call<any>('request', 'eth_getBlockByNumber', ['latest', false])
    expect(after.stateRoot).toBe(block.stateRoot)
    expect(BigInt(await call<Hex>('request', 'eth_getBalance', [RECIPIENT, 'latest']))).toBe(7n)
    const balanceOf = encodeFunctionData({ abi: TestTokenAbi, functionName: 'balanceOf', args: [RECIPIENT] })
    expect(BigInt(await call<Hex>('request', 'eth_call', [{ to: token, data: balanceOf }, 'latest']))).toBe(40n)
    expect(await call<Hex>('request', 'eth_getTransactionCount', [account.address, 'latest'])).toBe('0x4')
    await call('stop')
  })
})
