/**
 * Typed chrome.storage keys. Nothing the wallet needs lives only in service-worker memory:
 * `local` survives restarts, `session` is memory-only (cleared when the browser quits) and is
 * restricted to trusted extension contexts, so content scripts can never read the unlocked key.
 */
import type { Address, Hex } from 'viem'

export type AccountRecord = {
  /** Owner EOA: signs user ops and ERC-1271 messages for the smart account, nothing else. */
  owner: Address
  /** The agent's ERC-4337 SeedAccount on L1. */
  smartAccount: Address
  /** The agent's account on its rollup, from a key derived from the owner key (decision 0401). */
  rollupAccount: Address
  /** The agent's own rollup chain: its L1 inbox and the chain id derived from it (decision 0402). */
  rollup: { chainId: number; inbox: Address }
}

export type Permission = { parentCapability: 'eth_accounts'; invoker: string; date: number }

export type ActivityItem = {
  id: string
  kind: 'userOp' | 'l2Tx' | 'signature' | 'connect' | 'batch'
  origin: string
  chainId: number
  summary: string
  hash?: Hex
  userOpHash?: Hex
  status: 'pending' | 'success' | 'failed'
  at: number
}

export type LocalSchema = {
  account: AccountRecord
  permissions: Record<string, Permission[]>
  /** Selected chain per origin (hex chain id). */
  chains: Record<string, Hex>
  activity: ActivityItem[]
  settings: { autoLockMinutes: number }
  /** Per origin: the chains the user approved for it and those it added (see chains.ts). */
  siteChains: Record<string, SiteChains>
  /** Raw rollup txs each origin passed through, kept for a re-send (see l2-resend.ts). */
  rawL2Sends: Record<string, RawL2Send[]>
}

export type CustomChain = { chainId: number; name: string; rpcUrl: string }

/** A chain as the switch/add approval shows it (no `rpcUrl`: the rollup in this browser). */
export type ChainDescription = { chainId: number; name: string; rpcUrl?: string }

/** `granted`: hex chain ids the user approved for the origin; `added`: its read-only chains. */
export type SiteChains = { granted: Hex[]; added: Record<Hex, CustomChain> }

export type RawL2Send = { hash: Hex; raw: Hex; at: number }

export type SessionSchema = {
  /** The unlocked owner key; memory-only, trusted contexts only. */
  unlocked: { privateKey: Hex; lastActiveAt: number }
  /** Chains whose RPC the wallet found unreachable (chain id → since when, and the RPC to probe); see connectivity.ts. */
  chainsDown: Record<string, { since: number; rpcUrl?: string }>
}

type Area = 'local' | 'session'
type Schema<A extends Area> = A extends 'local' ? LocalSchema : SessionSchema

export async function read<A extends Area, K extends keyof Schema<A> & string>(
  area: A,
  key: K,
): Promise<Schema<A>[K] | undefined> {
  return (await chrome.storage[area].get(key))[key] as Schema<A>[K] | undefined
}

export async function write<A extends Area, K extends keyof Schema<A> & string>(area: A, key: K, value: Schema<A>[K]) {
  await chrome.storage[area].set({ [key]: value })
}

export async function remove(area: Area, key: string) {
  await chrome.storage[area].remove(key)
}
