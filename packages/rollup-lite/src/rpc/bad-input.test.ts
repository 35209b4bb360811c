import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode, type TestNode } from '../testing.ts'

async function post(url: string, body: string) {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : undefined }
}

describe('bad input never stops the node', () => {
  let t: TestNode
  const alive = async () => (await post(t.server.url, '{"jsonrpc":"2.0","id":9,"method":"eth_chainId"}')).json.result
  beforeAll(async () => {
    t = await startTestNode({ blockTime: 0 })
  })
  afterAll(() => t.close())

  it('answers malformed JSON with -32700', async () => {
    const { json } = await post(t.server.url, '{"jsonrpc":"2.0","id":1,"method":')
    expect(json.error.code).toBe(-32700)
    expect(await alive()).toBe('0x7a6a')
  })

  it('answers an unknown method with -32601 and a non-object request with -32600', async () => {
    expect((await post(t.server.url, '{"jsonrpc":"2.0","id":1,"method":"eth_mine"}')).json.error.code).toBe(-32601)
    expect((await post(t.server.url, '{"jsonrpc":"2.0","id":1,"method":"toString"}')).json.error.code).toBe(-32601)
    expect((await post(t.server.url, '42')).json.error.code).toBe(-32600)
    expect(await alive()).toBe('0x7a6a')
  })

  it('rejects an oversized body without reading it all', async () => {
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_call',
      params: [{ data: `0x${'00'.repeat(3_000_000)}` }],
    })
    const { status, json } = await post(t.server.url, huge)
    expect(status).toBe(413)
    expect(json.error.code).toBe(-32005)
    expect(await alive()).toBe('0x7a6a')
  })

  it('answers bad params with -32602', async () => {
    const bad = [
      ['eth_getBalance', ['0xzz', 'latest']],
      ['eth_getBalance', ['0x0000000000000000000000000000000000000001', 'tomorrow']],
      ['eth_getBlockByNumber', [{}, false]],
      ['eth_getTransactionReceipt', ['0x1234']],
      ['eth_getLogs', [{ topics: 'x' }]],
      ['eth_call', ['not-an-object']],
      ['eth_feeHistory', ['0x0', 'latest', []]],
    ] as const
    for (const [method, params] of bad) {
      const { json } = await post(t.server.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }))
      expect(json.error?.code, method).toBe(-32602)
    }
    const { json } = await post(t.server.url, '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":{"a":1}}')
    expect(json.error.code).toBe(-32602)
    expect(await alive()).toBe('0x7a6a')
  })

  it('rejects undecodable transactions with -32602', async () => {
    for (const raw of ['0x1234', '0x02c0', '0xf8', 'hello', '0x']) {
      const { json } = await post(
        t.server.url,
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: [raw] }),
      )
      expect(json.error?.code, raw).toBe(-32602)
    }
    expect(await alive()).toBe('0x7a6a')
  })

  it('handles batches: per-item errors, empty batch, notifications', async () => {
    const { json } = await post(
      t.server.url,
      JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'eth_blockNumber' },
        { jsonrpc: '2.0', id: 2, method: 'nope' },
        { jsonrpc: '2.0', method: 'eth_chainId' },
        'garbage',
      ]),
    )
    expect(json).toHaveLength(3)
    expect(json[0]).toEqual({ jsonrpc: '2.0', id: 1, result: '0x0' })
    expect(json[1].error.code).toBe(-32601)
    expect(json[2].error.code).toBe(-32600)
    expect((await post(t.server.url, '[]')).json.error.code).toBe(-32600)
    expect((await post(t.server.url, '{"jsonrpc":"2.0","method":"eth_chainId"}')).json).toBeUndefined()
  })
})
