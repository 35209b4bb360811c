/**
 * A flat account cache for the live state. ethereumjs' AccountCache stores every account as RLP in
 * a red-black tree: each getAccount decodes it and each putAccount re-encodes it (a transfer does
 * ~8 of them), which profiles showed as a sixth of a transfer's CPU. Here accounts live as plain
 * field snapshots in a Map and become RLP only when a flush writes them into the trie (once per
 * dirty account per flush). Checkpoints, reverts and flushes keep ethereumjs' semantics (a diff
 * map per checkpoint holding each key's entry from before its first change), so state roots are
 * unchanged.
 */
import { RLP } from '@ethereumjs/rlp'
import { MerkleStateManager } from '@ethereumjs/statemanager'
import {
  Account,
  type Address,
  bigIntToUnpaddedBytes,
  createAccountFromRLP,
  createAddressFromString,
  EthereumJSErrorWithoutCode,
  unpadBytes,
  unprefixedHexToBytes,
} from '@ethereumjs/util'
import { putMany } from './batch-trie.ts'
import { toHex } from './trie-db.ts'

/** One cached account: its fields at the time of the put (callers keep mutating their object). */
export class AccountEntry {
  private rlp: Uint8Array | undefined
  constructor(
    readonly nonce: bigint,
    readonly balance: bigint,
    readonly storageRoot: Uint8Array,
    readonly codeHash: Uint8Array,
  ) {}

  /** What ethereumjs' flush writes into the trie (computed on first use). */
  get accountRLP(): Uint8Array {
    this.rlp ??= RLP.encode([
      bigIntToUnpaddedBytes(this.nonce),
      bigIntToUnpaddedBytes(this.balance),
      this.storageRoot,
      this.codeHash,
    ])
    return this.rlp
  }

  toAccount(): Account {
    // The plain constructor: createAccount would round-trip both numbers through bytes.
    return new Account(this.nonce, this.balance, this.storageRoot, this.codeHash)
  }
}

/** A deleted (or known absent) account. */
const ABSENT = Object.freeze({ accountRLP: undefined })
type Entry = AccountEntry | typeof ABSENT

/**
 * The map key of an address: its 20 bytes as a one-byte string, one allocation. A hex key is
 * built from 20 pieces, and a transfer looks up ~7 keys (a sampling heap profile showed the cache's
 * keys among the largest allocations per tx).
 */
const keyOf = (address: Address): string => String.fromCharCode.apply(null, address.bytes as unknown as number[])

/** The address bytes of a key. */
function keyBytes(key: string): Uint8Array {
  const bytes = new Uint8Array(key.length)
  for (let i = 0; i < key.length; i++) bytes[i] = key.charCodeAt(i)
  return bytes
}

/** Drop-in for ethereumjs' AccountCache (the methods MerkleStateManager and Caches call). */
export class FlatAccountCache {
  private entries = new Map<string, Entry>()
  /** Per checkpoint: each key's entry before its first change at that height (undefined = none). */
  private diffs: Array<Map<string, Entry | undefined>> = [new Map()]

  get(address: Address): Entry | undefined {
    return this.entries.get(keyOf(address))
  }

  put(address: Address, account: Account | undefined): void {
    const key = keyOf(address)
    this.saveBefore(key)
    this.entries.set(
      key,
      account === undefined
        ? ABSENT
        : new AccountEntry(account.nonce, account.balance, account.storageRoot, account.codeHash),
    )
  }

  del(address: Address): void {
    const key = keyOf(address)
    this.saveBefore(key)
    this.entries.set(key, ABSENT)
  }

  /**
   * The entries changed since the last flush at this height, as [address bytes, entry]: what the
   * account trie takes (no hex key made and decoded again for each dirty account).
   */
  flushEntries(): Array<[Uint8Array, Entry]> {
    const height = this.diffs.length - 1
    const items: Array<[Uint8Array, Entry]> = []
    for (const key of (this.diffs[height] as Map<string, Entry | undefined>).keys()) {
      const entry = this.entries.get(key)
      if (entry !== undefined) items.push([keyBytes(key), entry])
    }
    this.diffs[height] = new Map()
    return items
  }

  /** flushEntries with unprefixed hex keys, as ethereumjs' AccountCache.flush hands them out. */
  flush(): Array<[string, Entry]> {
    return this.flushEntries().map(([key, entry]) => [toHex(key), entry])
  }

  checkpoint(): void {
    this.diffs.push(new Map())
  }

  commit(): void {
    const top = this.diffs.pop() as Map<string, Entry | undefined>
    const below = this.diffs[this.diffs.length - 1] as Map<string, Entry | undefined>
    for (const [key, before] of top) if (!below.has(key)) below.set(key, before)
  }

  revert(): void {
    const top = this.diffs.pop() as Map<string, Entry | undefined>
    for (const [key, before] of top) {
      if (before === undefined) this.entries.delete(key)
      else this.entries.set(key, before)
    }
  }

  clear(): void {
    this.entries.clear()
    this.diffs = [new Map()]
  }

  size(): number {
    return this.entries.size
  }

  stats() {
    return { size: this.entries.size, reads: 0, hits: 0, writes: 0, deletions: 0 }
  }

  private saveBefore(key: string) {
    const diff = this.diffs[this.diffs.length - 1] as Map<string, Entry | undefined>
    if (!diff.has(key)) diff.set(key, this.entries.get(key))
  }
}

/** MerkleStateManager reading accounts from a FlatAccountCache without any RLP round trip. */
export class FlatStateManager extends MerkleStateManager {
  override async getAccount(address: Address): Promise<Account | undefined> {
    const cache = this._caches?.account as unknown as FlatAccountCache | undefined
    const entry = cache?.get(address)
    if (entry !== undefined) return entry instanceof AccountEntry ? entry.toAccount() : undefined
    const rlp = await this._trie.get(address.bytes)
    const account = rlp !== null ? createAccountFromRLP(rlp) : undefined
    cache?.put(address, account)
    return account
  }

  /**
   * ethereumjs' putStorage, writing the storage cache only. ethereumjs writes the cache and then,
   * through `cache.put(…) ?? write()` (put returns undefined), also the account's storage trie —
   * a root-to-leaf trie update and a new storage root for every SSTORE, all redone by the flush
   * that writes the same cache entries at the block's end. Without it the storage trie and the
   * account's storage root change only at that flush, as for accounts; nothing reads them between
   * (reads go through the cache, unwritten slots are unchanged in the old trie).
   */
  override async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    const storage = this._caches?.storage
    if (storage === undefined) return super.putStorage(address, key, value)
    if (key.length !== 32) throw EthereumJSErrorWithoutCode('Storage key must be 32 bytes long')
    if (value.length > 32) throw EthereumJSErrorWithoutCode('Storage value cannot be longer than 32 bytes')
    if ((await this.getAccount(address)) === undefined)
      throw EthereumJSErrorWithoutCode('putStorage() called on non-existing account')
    storage.put(address, key, RLP.encode(unpadBytes(value)))
  }

  /**
   * ethereumjs' flush, with each storage trie and then the account trie updated in one pass over
   * their dirty keys (batch-trie.ts) instead of one root-to-leaf walk per key. The same contents
   * reach the same tries, so the roots are the same. Code is left to ethereumjs' flush, which then
   * finds no storage and only the accounts its code writes touched.
   */
  override async flush(): Promise<void> {
    await this.flushStorage()
    await this.flushAccounts()
    await super.flush()
  }

  private async flushStorage() {
    const items = this._caches?.storage?.flush() ?? []
    const byAddress = new Map<string, Array<[string, Uint8Array | undefined]>>()
    for (const [addressHex, keyHex, value] of items) {
      const slots = byAddress.get(addressHex)
      if (slots === undefined) byAddress.set(addressHex, [[keyHex, value]])
      else slots.push([keyHex, value])
    }
    for (const [addressHex, slots] of byAddress) {
      const address = createAddressFromString(`0x${addressHex}`)
      const account = await this.getAccount(address)
      if (account === undefined) continue
      const trie = this._getStorageTrie(address, account)
      const puts: Array<[Uint8Array, Uint8Array]> = []
      for (const [keyHex, value] of slots) {
        // Cached values are RLP of the unpadded word; an empty word deletes the slot.
        const word = RLP.decode(value ?? new Uint8Array()) as Uint8Array
        if (word.length > 0) puts.push([unprefixedHexToBytes(keyHex), RLP.encode(word)])
        else await trie.del(unprefixedHexToBytes(keyHex))
      }
      await putMany(trie, puts)
      account.storageRoot = trie.root()
      await this.putAccount(address, account)
    }
  }

  private async flushAccounts() {
    const items = (this._caches?.account as unknown as FlatAccountCache | undefined)?.flushEntries() ?? []
    const puts: Array<[Uint8Array, Uint8Array]> = []
    for (const [key, entry] of items) {
      if (entry.accountRLP === undefined) await this._trie.del(key)
      else puts.push([key, entry.accountRLP])
    }
    await putMany(this._trie, puts)
  }
}
