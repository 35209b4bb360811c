import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseScriptApi } from './api-surface.ts'

const members = parseScriptApi(readFileSync(new URL('./script-api.ts', import.meta.url), 'utf8'))

describe('the capability API surface (read from script-api.ts)', () => {
  it('lists every namespace method with its signature and doc', () => {
    expect(members.find((m) => m.path === 'wallet.balances')).toEqual({
      path: 'wallet.balances',
      signature: '(): Promise<Balances>',
      doc: 'ETH and USDS on L1 and on the rollup.',
      kind: 'method',
    })
    expect(members.filter((m) => m.kind === 'namespace').map((m) => m.path)).toEqual([
      'wallet',
      'rollup',
      'x402',
      'policy',
      'activity',
      'agents',
      'bounties',
      'bridge',
      'events',
    ])
    expect(members.find((m) => m.path === 'bridge.finalize')?.signature).toBe(
      '(params: { withdrawalHash: Hex }): Promise<WithdrawalStep>',
    )
    expect(members.find((m) => m.path === 'x402.fetch')?.signature).toBe(
      '(url: string, init?: FetchInit): Promise<FetchResult>',
    )
  })
  it('lists the top-level functions and values', () => {
    expect(members.filter((m) => !m.path.includes('.') && m.kind !== 'namespace').map((m) => [m.path, m.kind])).toEqual(
      [
        ['log', 'method'],
        ['sleep', 'method'],
        ['trigger', 'value'],
      ],
    )
  })
})
