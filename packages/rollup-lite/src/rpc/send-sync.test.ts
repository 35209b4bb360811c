import { createWalletClient, type Hex, http, parseGwei } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { sendRawTransactionSync } from 'viem/actions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode, TEST_CHAIN_ID, TEST_KEYS, type TestNode } from '../testing.ts'

const alice = privateKeyToAccount(TEST_KEYS[2] as Hex)
const TO = '0x00000000000000000000000000000000000000b1'

describe('eth_sendRawTransactionSync (EIP-7966)', () => {
  let t: TestNode
  const sign = (nonce: number) =>
    alice.signTransaction({
      type: 'eip1559',
      chainId: TEST_CHAIN_ID,
      to: TO,
      value: 1n,
      nonce,
      gas: 21_000n,
      maxFeePerGas: parseGwei('5'),
      maxPriorityFeePerGas: 1n,
    })

  beforeAll(async () => {
    t = await startTestNode({ blockTime: 0 })
  })
  afterAll(() => t.close())

  it("answers with the tx's receipt, the one eth_getTransactionReceipt gives, over HTTP through viem", async () => {
    const client = createWalletClient({ chain: t.chain, transport: http(t.server.url) })
    const receipt = await sendRawTransactionSync(client, { serializedTransaction: await sign(0) })
    expect(receipt.status).toBe('success')
    expect(receipt.blockNumber).toBe(1n)
    const polled = (await t.node.request('eth_getTransactionReceipt', [receipt.transactionHash])) as { blockHash: Hex }
    expect(polled.blockHash).toBe(receipt.blockHash)
    expect(await t.node.request('eth_blockNumber')).toBe('0x1')
  })

  it('a tx behind a nonce gap gets code 4 with its hash when the timeout ends, and stays in the pool', async () => {
    const gapped = await sign(2)
    const res = (await t.node.handle({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_sendRawTransactionSync',
      params: [gapped, '0x32'],
    })) as { error: { code: number; data: Hex } }
    expect(res.error.code).toBe(4)
    expect(await t.node.request('eth_getTransactionByHash', [res.error.data])).toMatchObject({ blockNumber: null })
    // Filling the gap executes both; the gapped one's receipt is then there.
    const filled = (await t.node.request('eth_sendRawTransactionSync', [await sign(1)])) as { status: Hex }
    expect(filled.status).toBe('0x1')
    for (let i = 0; i < 50 && !(await t.node.request('eth_getTransactionReceipt', [res.error.data])); i++) {
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(await t.node.request('eth_getTransactionReceipt', [res.error.data])).toMatchObject({ status: '0x1' })
  })

  it('a bad tx or timeout is invalid params, not a crash', async () => {
    const bad = (await t.node.handle({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_sendRawTransactionSync',
      params: [await sign(3), 'soon'],
    })) as { error: { code: number } }
    expect(bad.error.code).toBe(-32602)
    const garbage = (await t.node.handle({
      jsonrpc: '2.0',
      id: 2,
      method: 'eth_sendRawTransactionSync',
      params: ['0x1234'],
    })) as { error: { code: number } }
    expect(garbage.error.code).toBeLessThan(0)
  })
})
