/**
 * EIP-3009 authorisations the paying fetch handed to a seller that did not come back settled. Anyone holding
 * one can settle it until `validBefore`, whatever the seller answered, so its amount stays spent in the
 * policy until it expired unused on chain: only then is it given back. A seller answering `success: false`
 * can therefore take at most the budget, never drain the account by repetition.
 */
import type { KeyValueStorage } from '@seed/aa'
import type { PaymentPayload } from '@x402/core/types'
import type { Address, Hex } from 'viem'
import type { PaymentIntent, PaymentPolicyEngine } from './policy.ts'

/** What the paying fetch reads on chain: the token's EIP-3009 `authorizationState(authorizer, nonce)`. */
export type AuthorizationStateReader = {
  readContract(args: {
    address: Address
    abi: typeof authorizationStateAbi
    functionName: 'authorizationState'
    args: readonly [Address, Hex]
  }): Promise<boolean>
}

export const authorizationStateAbi = [
  {
    type: 'function',
    name: 'authorizationState',
    stateMutability: 'view',
    inputs: [
      { name: 'authorizer', type: 'address' },
      { name: 'nonce', type: 'bytes32' },
    ],
    outputs: [{ type: 'bool' }],
  },
] as const

type HandedOver = {
  intent: Omit<PaymentIntent, 'amount'> & { amount: string }
  authorizer: Address
  nonce: Hex
  /** Unix seconds: after this the token refuses the authorisation. */
  validBefore: string
}

const KEY = 'x402/handed-over'

type Authorization = { from: Address; nonce: Hex; validBefore: string }
const authorizationOf = (payload: PaymentPayload) =>
  (payload.payload as { authorization?: Authorization }).authorization

/** Remembers a handed-over authorisation (its amount stays reserved in the policy). */
export async function rememberHandedOver(storage: KeyValueStorage, intent: PaymentIntent, payload: PaymentPayload) {
  const authorization = authorizationOf(payload)
  // Not an EIP-3009 authorisation (another scheme): nothing to look up later, it simply stays spent.
  if (!authorization) return
  const entries = (await storage.get<HandedOver[]>(KEY)) ?? []
  entries.push({
    intent: { ...intent, amount: intent.amount.toString() },
    authorizer: authorization.from,
    nonce: authorization.nonce,
    validBefore: authorization.validBefore,
  })
  await storage.set(KEY, entries)
}

/**
 * Releases the reservations of handed-over authorisations that expired and were never used on chain; forgets
 * those that were used (they were paid for). Networks without a reader keep theirs spent.
 */
export async function releaseExpiredAuthorizations(parameters: {
  storage: KeyValueStorage
  policy: PaymentPolicyEngine
  readers: Partial<Record<string, AuthorizationStateReader>>
  now: number
}) {
  const { storage, policy, readers, now } = parameters
  const entries = (await storage.get<HandedOver[]>(KEY)) ?? []
  const kept: HandedOver[] = []
  for (const entry of entries) {
    const reader = readers[entry.intent.network]
    // A second of margin: the token compares validBefore with the block's timestamp, not our clock.
    if (!reader || Number(entry.validBefore) * 1000 + 1_000 > now) {
      kept.push(entry)
      continue
    }
    const used = await reader
      .readContract({
        address: entry.intent.asset,
        abi: authorizationStateAbi,
        functionName: 'authorizationState',
        args: [entry.authorizer, entry.nonce],
      })
      .catch(() => undefined)
    // Unknown (the chain did not answer): look again next time.
    if (used === undefined) kept.push(entry)
    else if (!used) await policy.release({ ...entry.intent, amount: BigInt(entry.intent.amount) })
  }
  if (kept.length !== entries.length) await storage.set(KEY, kept)
}
