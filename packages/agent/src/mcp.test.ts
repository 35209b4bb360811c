/** The MCP layer with the official SDK client: the tool list, structured results, refusals that say why. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { describe, expect, test } from 'vitest'
import type { Invoke } from './client.ts'
import { SeedAgentError } from './errors.ts'
import { createSeedMcpServer } from './mcp.ts'

async function connected(invoke: Invoke) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await createSeedMcpServer(invoke).connect(serverSide)
  const client = new Client({ name: 'test', version: '0' })
  await client.connect(clientSide)
  return client
}

describe('MCP server', () => {
  test('lists the wallet tools', async () => {
    const client = await connected(async () => null)
    const names = (await client.listTools()).tools.map((t) => t.name).sort()
    expect(names).toEqual(
      [
        'activity',
        'addresses',
        'agents_find',
        'agents_summary',
        'balances',
        'bounties_close',
        'bounties_post',
        'bounties_withdraw',
        'bridge_deposit',
        'bridge_finalize',
        'bridge_prove',
        'bridge_status',
        'bridge_withdraw',
        'policy',
        'rollup_call',
        'rollup_deploy',
        'rollup_status',
        'send',
        'sendCalls',
        'x402_fetch',
      ].sort(),
    )
  })

  test('agents_find and agents_summary map to agents.find / agents.summary; a bad agentId is refused', async () => {
    const calls: [string, unknown][] = []
    const client = await connected(async (method, params) => {
      calls.push([method, params])
      return []
    })
    await client.callTool({ name: 'agents_find', arguments: { kind: 'rollup-rpc' } })
    await client.callTool({ name: 'agents_summary', arguments: { agentId: '7' } })
    expect(calls).toEqual([
      ['agents.find', { kind: 'rollup-rpc' }],
      ['agents.summary', { agentId: '7' }],
    ])
    const bad = await client.callTool({ name: 'agents_summary', arguments: { agentId: '-1' } })
    expect(bad.isError).toBe(true)
    expect(calls).toHaveLength(2)
  })

  test('the bridge tools map to bridge.*; a malformed amount or withdrawal hash is refused before the wallet', async () => {
    const calls: [string, unknown][] = []
    const client = await connected(async (method, params) => {
      calls.push([method, params])
      return {}
    })
    const withdrawalHash = `0x${'ab'.repeat(32)}`
    await client.callTool({ name: 'bridge_deposit', arguments: { asset: 'usd', amount: '20' } })
    await client.callTool({ name: 'bridge_finalize', arguments: { withdrawalHash } })
    expect(calls).toEqual([
      ['bridge.deposit', { asset: 'usd', amount: '20' }],
      ['bridge.finalize', { withdrawalHash }],
    ])
    expect(
      (await client.callTool({ name: 'bridge_withdraw', arguments: { asset: 'eth', amount: '-1' } })).isError,
    ).toBe(true)
    expect((await client.callTool({ name: 'bridge_prove', arguments: { withdrawalHash: '0x12' } })).isError).toBe(true)
    expect(calls).toHaveLength(2)
  })

  test('a send on the rollup maps to rollup.send; results are structured', async () => {
    const calls: [string, unknown][] = []
    const client = await connected(async (method, params) => {
      calls.push([method, params])
      return { chain: 'rollup', hash: '0xab' }
    })
    const to = '0x00000000000000000000000000000000000000b2'
    const result = await client.callTool({ name: 'send', arguments: { chain: 'rollup', to, value: '0x1' } })
    expect(calls).toEqual([['rollup.send', { to, value: '0x1' }]])
    expect(result.structuredContent).toEqual({ chain: 'rollup', hash: '0xab' })
  })

  test('a refusal is a tool error with the reasons and what is left', async () => {
    const client = await connected(async (method) => {
      if (method === 'policy.get')
        return {
          caller: 'agent:bot',
          wallet: { spentTodayEth: '0.2', dailyEth: '5' },
          grant: { leftEth: '0.01', leftUsd: '1' },
        }
      throw new SeedAgentError({
        code: 4100,
        message: "Blocked by the pairing's grant: Budget …",
        data: { reasons: [{ code: 'budget', message: 'Budget …' }] },
      })
    })
    const result = await client.callTool({
      name: 'send',
      arguments: { chain: 'rollup', to: '0x00000000000000000000000000000000000000b2', value: '0xde0b6b3a7640000' },
    })
    expect(result.isError).toBe(true)
    expect(result.structuredContent).toMatchObject({
      refused: true,
      code: 4100,
      reasons: [{ code: 'budget' }],
      left: { grantLeftEth: '0.01', grantLeftUsd: '1' },
    })
    const rejected = await connected(async () => {
      throw new SeedAgentError({ code: 4001, message: 'User rejected the request.' })
    })
    const answer = await rejected.callTool({ name: 'balances', arguments: {} })
    expect((answer.content as { text: string }[])[0]!.text).toContain('approval rejected')
  })
})
