/** The Agents screen's open bounties: each poll scans only the blocks since the last one, in bounded ranges. */
import type { Bounty } from '@seed/contracts'
import type { Address } from 'viem'
import { describe, expect, test } from 'vitest'
import type { OpenBountyIndex } from '../../core/records.ts'
import { LOG_RANGE, type OpenBountySource, openBounties } from './open-bounties.ts'

const escrow: Address = '0x00000000000000000000000000000000000000e5'

function chain() {
  const state = {
    head: 0n,
    posts: new Map<bigint, bigint>(), // bountyId → block
    bounties: new Map<bigint, Pick<Bounty, 'closing' | 'operators' | 'maxOperators'>>(),
    scans: [] as [bigint, bigint][],
    reads: [] as bigint[],
  }
  const source: OpenBountySource = {
    head: async () => state.head,
    async posted(from, to) {
      state.scans.push([from, to])
      return [...state.posts].filter(([, block]) => block >= from && block <= to).map(([id]) => id)
    },
    async read(bountyId) {
      state.reads.push(bountyId)
      return { bountyId, ...state.bounties.get(bountyId)! } as Bounty
    },
  }
  const post = (id: bigint, block: bigint) => {
    state.posts.set(id, block)
    state.bounties.set(id, { closing: false, operators: 0, maxOperators: 1 })
  }
  let saved: OpenBountyIndex | undefined
  const store = {
    get: async () => saved,
    async set(index: OpenBountyIndex) {
      saved = index
    },
  }
  return { state, source, post, store }
}

describe('open bounties, incrementally', () => {
  test('the first poll scans the history in bounded ranges; later polls only the new blocks', async () => {
    const { state, source, post, store } = chain()
    state.head = LOG_RANGE * 2n + 10n
    post(1n, 3n)
    post(2n, LOG_RANGE + 7n)
    const first = await openBounties(source, store, escrow)
    expect(first.map((b) => b.bountyId)).toEqual([1n, 2n])
    expect(state.scans).toEqual([
      [0n, LOG_RANGE - 1n],
      [LOG_RANGE, LOG_RANGE * 2n - 1n],
      [LOG_RANGE * 2n, LOG_RANGE * 2n + 10n],
    ])

    state.scans = []
    state.head += 5n
    post(3n, state.head)
    const second = await openBounties(source, store, escrow)
    expect(second.map((b) => b.bountyId)).toEqual([1n, 2n, 3n])
    expect(state.scans).toEqual([[LOG_RANGE * 2n + 11n, state.head]])

    state.scans = []
    await openBounties(source, store, escrow)
    expect(state.scans).toEqual([]) // no new block: no log query at all
  })

  test('a bounty that closes or fills leaves the index: it is not read again', async () => {
    const { state, source, post, store } = chain()
    state.head = 10n
    post(1n, 2n)
    post(2n, 3n)
    await openBounties(source, store, escrow)
    state.bounties.set(1n, { closing: true, operators: 0, maxOperators: 1 })
    state.bounties.set(2n, { closing: false, operators: 1, maxOperators: 1 })
    expect(await openBounties(source, store, escrow)).toEqual([])
    state.reads = []
    state.head = 11n
    expect(await openBounties(source, store, escrow)).toEqual([])
    expect(state.reads).toEqual([])
  })

  test('another escrow (a network switch) starts a new index', async () => {
    const { state, source, post, store } = chain()
    state.head = 4n
    post(1n, 1n)
    await openBounties(source, store, escrow)
    state.scans = []
    await openBounties(source, store, '0x00000000000000000000000000000000000000f6')
    expect(state.scans).toEqual([[0n, 4n]])
  })
})
