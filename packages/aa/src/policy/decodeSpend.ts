/**
 * What a batch of calls would spend: ETH value and ERC-20 amounts decoded from transfer/approve/transferFrom,
 * and tokens withdrawn through a rollup's L2 standard bridge (the twin is burnt on L2 and paid out on L1 to
 * whoever the call names, so it leaves the account like a transfer).
 * A bounty posted to SeedBountyEscrow (decision 0802) pulls its funds from the account: counted as a spend of its
 * token, less what an approval of that escrow in the same batch already counted (approve + post is one spend).
 * Calls to the account itself are seen through: execute/executeBatch/executeAsSession are decoded and
 * their inner calls counted like direct ones; any other function of the account is an admin call.
 */
import { L2_STANDARD_BRIDGE, SeedBountyEscrowAbi } from '@seed/contracts'
import { type Address, decodeFunctionData, getAbiItem, getAddress, type Hex, parseAbi, toFunctionSelector } from 'viem'

export type PolicyCall = { to: Address; value?: bigint; data?: Hex }

export type Spend = {
  eth: bigint
  /** Lower-cased token address → units (transfers plus approvals: an approval is spend exposure). */
  tokens: Map<string, bigint>
  approvals: { token: Address; spender: Address; amount: bigint }[]
  /** Selectors of the account's own non-execute functions (ownership, session keys, paymasters…). */
  adminCalls: Hex[]
  /** Self-calls whose execute* arguments do not decode: what they would run is unknown. */
  undecodable: number
}

export const ETH = 'eth' as const

/** The account's execution entry points (SeedAccount): calls through them are the inner calls. */
export const accountExecuteAbi = parseAbi([
  'function execute(address target, uint256 value, bytes data)',
  'function executeBatch((address target, uint256 value, bytes data)[] calls)',
  'function executeAsSession(address key, (address target, uint256 value, bytes data)[] calls)',
])

/** Deeper self-call nesting than this is not something the wallet builds: treated as undecodable. */
const MAX_DEPTH = 4

export function selectorOf(data: Hex | undefined): Hex {
  return data && data.length >= 10 ? (data.slice(0, 10).toLowerCase() as Hex) : '0x00000000'
}

/** The calls an execute* self-call runs, or undefined when its data is not one of them. */
export function innerCalls(data: Hex | undefined): PolicyCall[] | undefined {
  if (!data || data.length < 10) return undefined
  try {
    const decoded = decodeFunctionData({ abi: accountExecuteAbi, data })
    if (decoded.functionName === 'execute') {
      const [to, value, inner] = decoded.args
      return [{ to, value, data: inner }]
    }
    const calls = decoded.functionName === 'executeBatch' ? decoded.args[0] : decoded.args[1]
    return calls.map((c) => ({ to: c.target, value: c.value, data: c.data }))
  } catch {
    return undefined
  }
}

/** execute, executeBatch, executeAsSession. */
const EXECUTE_SELECTORS = new Set(['0xb61d27f6', '0x34fcd5be', '0x7be5fd63'])

/** Every call the batch runs, self-calls flattened (the outer self-call kept for its value and selector). */
export function flattenCalls(calls: readonly PolicyCall[], account: Address | undefined, spend?: Spend): PolicyCall[] {
  const out: PolicyCall[] = []
  const self = account?.toLowerCase()
  const walk = (list: readonly PolicyCall[], depth: number) => {
    for (const call of list) {
      out.push(call)
      if (!self || call.to.toLowerCase() !== self) continue
      const selector = selectorOf(call.data)
      if (selector === '0x00000000') continue // plain ETH to itself: moves nothing out
      if (!EXECUTE_SELECTORS.has(selector)) {
        spend?.adminCalls.push(selector)
        continue
      }
      const inner = depth < MAX_DEPTH ? innerCalls(call.data) : undefined
      if (!inner) {
        if (spend) spend.undecodable++
        continue
      }
      walk(inner, depth + 1)
    }
  }
  walk(calls, 0)
  return out
}

const L2_BRIDGE = L2_STANDARD_BRIDGE.toLowerCase()
const BRIDGE_WITHDRAW = toFunctionSelector('withdraw(address,uint256,uint32)')
const BRIDGE_WITHDRAW_TO = toFunctionSelector('withdrawTo(address,address,uint256,uint32)')
/** SeedBountyEscrow.post(kind, inbox, token, pricePerEpoch, epochLength, maxOperators, funds): seven static words. */
const BOUNTY_POST = toFunctionSelector(getAbiItem({ abi: SeedBountyEscrowAbi, name: 'post' }))

export function decodeSpend(calls: readonly PolicyCall[], account?: Address): Spend {
  const spend: Spend = { eth: 0n, tokens: new Map(), approvals: [], adminCalls: [], undecodable: 0 }
  const add = (token: Address, amount: bigint) => {
    const key = token.toLowerCase()
    spend.tokens.set(key, (spend.tokens.get(key) ?? 0n) + amount)
  }
  const posts: { escrow: Address; token: Address; funds: bigint }[] = []
  const self = account?.toLowerCase()
  const all = self && calls.some((c) => c.to.toLowerCase() === self) ? flattenCalls(calls, account, spend) : calls
  for (const call of all) {
    // Value the account sends to itself stays in the account (the inner calls carry what leaves it).
    if (!self || call.to.toLowerCase() !== self) spend.eth += call.value ?? 0n
    const data = call.data
    const selector = selectorOf(data)
    // Hand-decoded (fixed ABI layout, static args): ~10x faster than a generic ABI decoder on the hot path.
    const word = (i: number) => data!.slice(10 + 64 * i, 74 + 64 * i)
    const address = (i: number) => `0x${word(i).slice(24)}` as Address
    if (selector === '0xa9059cbb' || selector === '0x095ea7b3') {
      if (!data || data.length < 138) continue // malformed: reverts on-chain; target/selector rules still apply
      const amount = BigInt(`0x${word(1)}`)
      add(call.to, amount)
      if (selector === '0x095ea7b3') spend.approvals.push({ token: call.to, spender: getAddress(address(0)), amount })
    } else if (selector === '0x23b872dd') {
      if (!data || data.length < 202) continue
      // Pulling someone else's tokens is not our spend; pulling our own (or unknown account) is.
      if (!account || address(0).toLowerCase() === account.toLowerCase()) add(call.to, BigInt(`0x${word(2)}`))
    } else if (
      call.to.toLowerCase() === L2_BRIDGE &&
      (selector === BRIDGE_WITHDRAW || selector === BRIDGE_WITHDRAW_TO)
    ) {
      const amountWord = selector === BRIDGE_WITHDRAW ? 1 : 2
      if (!data || data.length < 74 + 64 * (amountWord + 1)) continue
      add(getAddress(address(0)), BigInt(`0x${word(amountWord)}`))
    } else if (selector === BOUNTY_POST) {
      if (!data || data.length < 10 + 64 * 7) continue
      posts.push({ escrow: call.to, token: getAddress(address(2)), funds: BigInt(`0x${word(6)}`) })
    }
  }
  // What the batch approved to each escrow already counts; a post counts only the funds beyond it.
  const approved = new Map<string, bigint>()
  for (const a of spend.approvals) {
    const key = `${a.token}:${a.spender}`.toLowerCase()
    approved.set(key, (approved.get(key) ?? 0n) + a.amount)
  }
  for (const post of posts) {
    const key = `${post.token}:${post.escrow}`.toLowerCase()
    const covered = approved.get(key) ?? 0n
    const counted = covered < post.funds ? covered : post.funds
    approved.set(key, covered - counted)
    add(post.token, post.funds - counted)
  }
  return spend
}
