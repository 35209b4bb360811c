/** What a batch of calls would spend: ETH value and ERC-20 amounts decoded from transfer/approve/transferFrom. */
import { type Address, decodeFunctionData, erc20Abi, type Hex } from 'viem'

export type PolicyCall = { to: Address; value?: bigint; data?: Hex }

export type Spend = {
  eth: bigint
  /** Lower-cased token address → units (transfers plus approvals: an approval is spend exposure). */
  tokens: Map<string, bigint>
  approvals: { token: Address; spender: Address; amount: bigint }[]
}

export const ETH = 'eth' as const

export function selectorOf(data: Hex | undefined): Hex {
  return data && data.length >= 10 ? (data.slice(0, 10).toLowerCase() as Hex) : '0x00000000'
}

export function decodeSpend(calls: readonly PolicyCall[], account?: Address): Spend {
  const spend: Spend = { eth: 0n, tokens: new Map(), approvals: [] }
  const add = (token: Address, amount: bigint) => {
    const key = token.toLowerCase()
    spend.tokens.set(key, (spend.tokens.get(key) ?? 0n) + amount)
  }
  for (const call of calls) {
    spend.eth += call.value ?? 0n
    const selector = selectorOf(call.data)
    if (selector !== '0xa9059cbb' && selector !== '0x095ea7b3' && selector !== '0x23b872dd') continue
    let decoded: ReturnType<typeof decodeFunctionData<typeof erc20Abi>>
    try {
      decoded = decodeFunctionData({ abi: erc20Abi, data: call.data! })
    } catch {
      continue // malformed calldata: the call reverts on-chain; target/selector rules still apply
    }
    if (decoded.functionName === 'transfer') add(call.to, decoded.args[1])
    else if (decoded.functionName === 'approve') {
      add(call.to, decoded.args[1])
      spend.approvals.push({ token: call.to, spender: decoded.args[0], amount: decoded.args[1] })
    } else if (decoded.functionName === 'transferFrom') {
      // Pulling someone else's tokens is not our spend; pulling our own (or unknown account) is.
      if (!account || decoded.args[0].toLowerCase() === account.toLowerCase()) add(call.to, decoded.args[2])
    }
  }
  return spend
}
