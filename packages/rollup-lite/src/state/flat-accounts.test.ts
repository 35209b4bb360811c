import { AccountCache, CacheType } from '@ethereumjs/statemanager'
import { Account, Address, bytesToHex } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { FlatAccountCache } from './flat-accounts.ts'

/** A small deterministic PRNG (mulberry32): the same operation sequence on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const addresses = Array.from({ length: 6 }, (_, i) => new Address(new Uint8Array(20).fill(i + 1)))
const view = (elem: { accountRLP: Uint8Array | undefined } | undefined) =>
  elem === undefined ? 'missing' : elem.accountRLP === undefined ? 'absent' : bytesToHex(elem.accountRLP)

describe('FlatAccountCache', () => {
  it('behaves as ethereumjs AccountCache under random puts, deletes, checkpoints, commits, reverts and flushes', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = prng(seed)
      const reference = new AccountCache({ size: 1000, type: CacheType.ORDERED_MAP })
      const flat = new FlatAccountCache()
      let depth = 0
      for (let step = 0; step < 400; step++) {
        const address = addresses[Math.floor(random() * addresses.length)] as Address
        const op = random()
        if (op < 0.35) {
          const account = random() < 0.1 ? undefined : new Account(BigInt(step), BigInt(Math.floor(random() * 1e6)))
          reference.put(address, account)
          flat.put(address, account)
        } else if (op < 0.45) {
          reference.del(address)
          flat.del(address)
        } else if (op < 0.6) {
          reference.checkpoint()
          flat.checkpoint()
          depth++
        } else if (op < 0.7 && depth > 0) {
          reference.commit()
          flat.commit()
          depth--
        } else if (op < 0.8 && depth > 0) {
          reference.revert()
          flat.revert()
          depth--
        } else if (op < 0.85) {
          const sort = (items: Array<[string, { accountRLP: Uint8Array | undefined }]>) =>
            items.map(([k, e]) => `${k}:${view(e)}`).sort()
          expect(sort(flat.flush())).toEqual(sort(reference.flush()))
        }
        for (const a of addresses) expect(view(flat.get(a))).toBe(view(reference.get(a)))
      }
    }
  })

  it('keeps a snapshot: changing the account object after the put changes nothing', () => {
    const cache = new FlatAccountCache()
    const account = new Account(1n, 100n)
    cache.put(addresses[0] as Address, account)
    account.balance = 5n
    const entry = cache.get(addresses[0] as Address) as { toAccount(): Account }
    expect(entry.toAccount().balance).toBe(100n)
  })
})
