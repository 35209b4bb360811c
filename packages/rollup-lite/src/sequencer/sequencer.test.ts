import { type Hex, parseGwei } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode, TEST_CHAIN_ID, TEST_KEYS, type TestNode } from '../testing.ts'

const alice = privateKeyToAccount(TEST_KEYS[1] as Hex)
const TO = '0x00000000000000000000000000000000000000b0'

type Fields = Partial<{
  nonce: number
  gas: bigint
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
  chainId: number
  data: Hex
  value: bigint
}>

describe('sequencer admission and group commit', () => {
  let t: TestNode
  let nonce = 0
  const sign = (f: Fields = {}, signer = alice) =>
    signer.signTransaction({
      type: 'eip1559',
      chainId: f.chainId ?? TEST_CHAIN_ID,
      to: TO,
      value: f.value ?? 1n,
      nonce: f.nonce ?? nonce,
      gas: f.gas ?? 21_000n,
      maxFeePerGas: f.maxFeePerGas ?? parseGwei('5'),
      maxPriorityFeePerGas: f.maxPriorityFeePerGas ?? 1n,
      data: f.data,
    })
  const send = async (raw: Hex) =>
    t.node.handle({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: [raw] }) as Promise<any>

  beforeAll(async () => {
    t = await startTestNode({ blockTime: 0, maxPerSender: 4 })
  })
  afterAll(() => t.close())

  it('answers only once the block is sealed and on disk, and every view already agrees', async () => {
    const res = await send(await sign())
    nonce++
    const hash = res.result as Hex
    const receipt = (await t.node.request('eth_getTransactionReceipt', [hash])) as any
    expect(receipt.status).toBe('0x1')
    expect(receipt.blockNumber).toBe('0x1')
    expect(await t.node.request('eth_blockNumber')).toBe('0x1')
    expect(t.node.status().persistedHead).toBe(1n)
    const block = (await t.node.request('eth_getBlockByNumber', ['latest', false])) as any
    expect(block.hash).toBe(receipt.blockHash)
    expect(block.transactions).toEqual([hash])
    expect(await t.node.request('eth_getBlockByNumber', ['safe', false])).toEqual(block)
  })

  it('a JSON-RPC batch of sends shares one block, and a later request of the batch sees it', async () => {
    const raws = [] as Hex[]
    for (let i = 0; i < 3; i++) raws.push(await sign({ nonce: nonce + i }))
    nonce += 3
    const batch = raws.map((raw, id) => ({ jsonrpc: '2.0', id, method: 'eth_sendRawTransaction', params: [raw] }))
    const answers = (await t.node.handle([
      ...batch,
      { jsonrpc: '2.0', id: 9, method: 'eth_getBlockByNumber', params: ['latest', false] },
    ])) as any[]
    const hashes = answers.slice(0, 3).map((a) => a.result as Hex)
    expect(hashes.every((h) => /^0x[0-9a-f]{64}$/.test(h))).toBe(true)
    expect(answers[3].result.transactions).toEqual(hashes)
  })

  it('rejects with geth-like messages and EIP-1474 codes', async () => {
    const cases: [Hex, number, RegExp][] = [
      [await sign({ nonce: 0 }), -32000, /nonce too low: address .*, tx: 0 state: 4/],
      [
        await sign({}, privateKeyToAccount(generatePrivateKey())),
        -32000,
        /insufficient funds for gas \* price \+ value/,
      ],
      [await sign({ gas: 20_000n }), -32000, /intrinsic gas too low/],
      [await sign({ chainId: 1 }), -32000, /invalid chain id/],
      [await sign({ gas: 10_000_000n, data: `0x${'01'.repeat(132_000)}` }), -32000, /oversized data/],
      [await sign({ maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }), -32003, /underpriced/],
    ]
    for (const [raw, code, message] of cases) {
      const res = await send(raw)
      expect(res.error?.code, String(message)).toBe(code)
      expect(res.error?.message).toMatch(message)
    }
  })

  it('queues future nonces, replaces only with a 10% bump, and limits per sender', async () => {
    const gapped = await send(await sign({ nonce: nonce + 1 }))
    expect(gapped.result).toMatch(/^0x/)
    const same = await send(await sign({ nonce: nonce + 1, value: 2n }))
    expect(same.error?.code).toBe(-32003)
    expect(same.error?.message).toMatch(/replacement transaction underpriced/)
    const bumped = await send(
      await sign({ nonce: nonce + 1, value: 2n, maxFeePerGas: parseGwei('6'), maxPriorityFeePerGas: 2n }),
    )
    expect(bumped.result).toMatch(/^0x/)
    expect(await t.node.request('eth_getTransactionByHash', [gapped.result])).toBeNull()
    expect(((await t.node.request('eth_getTransactionByHash', [bumped.result])) as any).blockNumber).toBeNull()
    for (let i = 2; i <= 4; i++) await send(await sign({ nonce: nonce + i }))
    const over = await send(await sign({ nonce: nonce + 5 }))
    expect(over.error?.code).toBe(-32003)
    // Filling the gap executes the whole queue in nonce order.
    await send(await sign({ nonce }))
    await expect
      .poll(() => t.node.request('eth_getTransactionCount', [alice.address, 'latest']), { timeout: 2_000 })
      .toBe(`0x${(nonce + 5).toString(16)}`)
    const receipt = (await t.node.request('eth_getTransactionReceipt', [bumped.result])) as any
    expect(receipt.status).toBe('0x1')
    expect(t.node.status().pendingCount).toBe(0)
  })
})
