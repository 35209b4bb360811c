import type { Address } from 'viem'
import { describe, expect, test } from 'vitest'
import type { BountyView } from './bounties.ts'
import { probeLag, replicaOperators } from './replicas.ts'

const inbox = '0x00000000000000000000000000000000000000aa' as Address
const other = '0x00000000000000000000000000000000000000bb' as Address
const operator = '0x0000000000000000000000000000000000000001' as Address

function bounty(bountyId: bigint, p: Partial<BountyView>, slots: [agentId: bigint, closed: boolean][]): BountyView {
  return {
    bountyId,
    kind: 'replica',
    inbox,
    closing: false,
    operatorSlots: slots.map(([agentId, closed]) => ({ agentId, operator, payee: operator, claimed: 0n, closed })),
    ...p,
  } as BountyView
}

describe('replicaOperators', () => {
  test("one row per agent still in a replica bounty for this chain's inbox, with every bounty it serves", () => {
    const bounties = [
      bounty(1n, {}, [
        [7n, false],
        [8n, true], // left: no longer a replica
      ]),
      bounty(2n, { inbox: inbox.toUpperCase().replace('0X', '0x') as Address }, [[7n, false]]),
      bounty(3n, { kind: 'pin' }, [[9n, false]]), // pins batches, serves no RPC
      bounty(4n, { inbox: other }, [[10n, false]]), // another chain
    ]
    expect(replicaOperators(bounties, inbox)).toEqual([{ agentId: 7n, bountyIds: [1n, 2n] }])
  })

  test('no replica bounty: no replica', () => {
    expect(replicaOperators([], inbox)).toEqual([])
  })
})

describe('probeLag', () => {
  test("a file's rollup-rpc that is not an http(s) or ws(s) URL is never fetched", async () => {
    await expect(probeLag('javascript:alert(1)', 10n)).rejects.toThrow('not an http(s) or ws(s) URL')
    await expect(probeLag('file:///etc/passwd', 10n)).rejects.toThrow('not an http(s) or ws(s) URL')
  })
})
