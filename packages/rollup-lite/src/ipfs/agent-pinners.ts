/**
 * The IPFS peer's on-chain pinner rule (decision 0310): a key may pin while it is the current
 * `sequencer()` of an inbox made by a given RollupInboxFactory, so each agent's batcher pins without
 * the operator listing it. A stranger's signature costs the peer L1 reads, so answers are cached per
 * signer (a yes for `positiveTtlMs`, a no for `negativeTtlMs`) and fresh lookups are capped per second
 * across all callers; over the cap the caller is told to retry later and L1 is not asked.
 */
import { RollupInboxAbi, RollupInboxFactoryAbi } from '@seed/contracts'
import { type Address, createPublicClient, getAbiItem, http, isAddressEqual } from 'viem'

export type AgentInboxesOptions = {
  l1RpcUrl: string
  factory: Address
  /** How long a key found to be a sequencer stays admitted without asking L1 again (default 10 s). */
  positiveTtlMs?: number
  /** How long a key found to be no sequencer stays refused without asking L1 again (default 2 s). */
  negativeTtlMs?: number
  /** Fresh L1 lookups allowed per second, all signers together (default 20). */
  lookupsPerSecond?: number
}

/** The signer's answer: admitted, refused, or unknown because the lookup cap is spent (retry later). */
export type AgentPinnerAnswer = 'admitted' | 'refused' | 'busy'

/** Inboxes a lookup follows at most per signer: a key is the sequencer of a handful of inboxes, not thousands. */
const MAX_CANDIDATES = 16

const inboxCreated = getAbiItem({ abi: RollupInboxFactoryAbi, name: 'InboxCreated' })
const sequencerChanged = getAbiItem({ abi: RollupInboxAbi, name: 'SequencerChanged' })

export function agentPinners(o: AgentInboxesOptions) {
  const l1 = createPublicClient({ transport: http(o.l1RpcUrl, { timeout: 10_000, retryCount: 0 }) })
  const positiveTtl = o.positiveTtlMs ?? 10_000
  const negativeTtl = o.negativeTtlMs ?? 2_000
  const perSecond = o.lookupsPerSecond ?? 20
  const cache = new Map<Address, { admitted: boolean; until: number }>()
  let second = { start: 0, used: 0 }

  /** Whether `signer` is the current sequencer of an inbox the factory made. */
  const lookup = async (signer: Address): Promise<boolean> => {
    // Made for this key by the factory, or handed to it later by an owner's `setSequencer`
    // (an event anyone's contract can emit: those inboxes are checked against the factory below).
    const [created, changed] = await Promise.all([
      l1.getLogs({ address: o.factory, event: inboxCreated, args: { sequencer: signer }, fromBlock: 'earliest' }),
      l1.getLogs({ event: sequencerChanged, args: { next: signer }, fromBlock: 'earliest' }),
    ])
    const fromFactory = created.map((l) => l.args.inbox as Address)
    const handedOver = [...new Set(changed.map((l) => l.address))].slice(-MAX_CANDIDATES)
    const handedOverByFactory = handedOver.length
      ? (
          await l1.getLogs({
            address: o.factory,
            event: inboxCreated,
            args: { inbox: handedOver },
            fromBlock: 'earliest',
          })
        ).map((l) => l.args.inbox as Address)
      : []
    const candidates = [...new Set([...fromFactory, ...handedOverByFactory])].slice(-MAX_CANDIDATES)
    for (const inbox of candidates) {
      const current = await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'sequencer' })
      if (isAddressEqual(current, signer)) return true
    }
    return false
  }

  /** A signer's lookup in flight: concurrent pins by one key share it and count once against the cap. */
  const pending = new Map<Address, Promise<boolean>>()

  return {
    async check(signer: Address): Promise<AgentPinnerAnswer> {
      const now = Date.now()
      const cached = cache.get(signer)
      if (cached && cached.until > now) return cached.admitted ? 'admitted' : 'refused'
      let answer = pending.get(signer)
      if (!answer) {
        if (now - second.start >= 1_000) second = { start: now, used: 0 }
        if (second.used >= perSecond) return 'busy'
        second.used++
        answer = lookup(signer).finally(() => pending.delete(signer))
        pending.set(signer, answer)
      }
      const admitted = await answer
      // Expired entries are dropped as they are met; the map holds at most a few seconds of lookups.
      for (const [key, entry] of cache) if (entry.until <= now) cache.delete(key)
      cache.set(signer, { admitted, until: now + (admitted ? positiveTtl : negativeTtl) })
      return admitted ? 'admitted' : 'refused'
    },
  }
}
