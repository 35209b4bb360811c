/**
 * What a batch would do to balances, before anything is signed: runs the calls from the account with
 * `eth_simulateV1` (anvil supports it; `traceTransfers` adds native ETH moves as synthetic Transfer logs from
 * 0xeeee…eeee) and folds the Transfer/Approval logs into per-address deltas and approvals for the approval UI.
 * Calls run as `from: account` directly (the EntryPoint's msg.sender for the targets is the same), so
 * counterfactual accounts simulate too; no signature is involved.
 */
import {
  type Address,
  type Client,
  erc20Abi,
  type Hex,
  isAddressEqual,
  type Log,
  parseEventLogs,
  type StateOverride,
} from 'viem'
import { readContract, simulateBlocks } from 'viem/actions'
import { SeedAaError } from '../errors.ts'

const NATIVE = '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee' as const
const transferEvent = erc20Abi.filter((x) => x.type === 'event')

export type AssetChange = {
  address: Address
  /** 'eth' or the token contract. */
  asset: 'eth' | Address
  delta: bigint
  symbol?: string
  decimals?: number
}
export type ApprovalChange = { token: Address; owner: Address; spender: Address; amount: bigint }
export type SimulatedCall = { status: 'success' | 'failure'; gasUsed: bigint; error?: string }

export type SimulateAssetChangesResult = {
  success: boolean
  calls: SimulatedCall[]
  /** Every non-zero balance change, for every address touched (the account's own first). */
  changes: AssetChange[]
  approvals: ApprovalChange[]
}

export class SimulationUnsupportedError extends SeedAaError {
  override name = 'SimulationUnsupportedError'
}

export async function simulateAssetChanges(
  client: Client,
  {
    from,
    calls,
    stateOverrides,
    withMetadata = true,
  }: {
    from: Address
    calls: readonly { to: Address; value?: bigint; data?: Hex }[]
    stateOverrides?: StateOverride
    withMetadata?: boolean
  },
): Promise<SimulateAssetChangesResult> {
  let blocks: Awaited<ReturnType<typeof simulateBlocks>>
  try {
    blocks = await simulateBlocks(client, {
      blocks: [{ calls: calls.map((c) => ({ ...c, from, account: from })) as never, stateOverrides }],
      traceTransfers: true,
      validation: false,
    })
  } catch (cause) {
    throw new SimulationUnsupportedError('eth_simulateV1 failed: the node may not support it.', { cause })
  }
  const results = blocks[0]?.calls ?? []
  const simulated: SimulatedCall[] = results.map((r) => ({
    status: r.status,
    gasUsed: r.gasUsed,
    ...(r.error ? { error: r.error.message } : {}),
  }))
  // A failed call's logs never happened: only successful calls count (a batch reverts as a whole anyway).
  const success = simulated.every((c) => c.status === 'success')
  const logs = success ? results.flatMap((r) => (r.logs ?? []) as Log[]) : []

  const deltas = new Map<string, AssetChange>()
  const bump = (address: Address, asset: 'eth' | Address, delta: bigint) => {
    const key = `${address.toLowerCase()}:${asset.toLowerCase()}`
    const entry = deltas.get(key) ?? { address, asset, delta: 0n }
    entry.delta += delta
    deltas.set(key, entry)
  }
  const approvals: ApprovalChange[] = []
  for (const log of parseEventLogs({ abi: transferEvent, logs, strict: false })) {
    const asset = isAddressEqual(log.address, NATIVE) ? 'eth' : log.address
    if (log.eventName === 'Transfer') {
      const { from: src, to, value } = log.args
      // ERC-721 Transfer has the id indexed (no data): parseEventLogs leaves `value` undefined. Skip NFTs.
      if (src === undefined || to === undefined || value === undefined) continue
      bump(src, asset, -value)
      bump(to, asset, value)
    } else if (log.eventName === 'Approval') {
      const { owner, spender, value } = log.args
      if (owner && spender && value !== undefined) approvals.push({ token: log.address, owner, spender, amount: value })
    }
  }
  const changes = [...deltas.values()]
    .filter((c) => c.delta !== 0n)
    .sort((a, b) => Number(isAddressEqual(b.address, from)) - Number(isAddressEqual(a.address, from)))

  if (withMetadata) {
    const tokens = [...new Set(changes.map((c) => c.asset).filter((a): a is Address => a !== 'eth'))]
    const meta = new Map(
      await Promise.all(
        tokens.map(async (token) => {
          const [symbol, decimals] = await Promise.all([
            readContract(client, { address: token, abi: erc20Abi, functionName: 'symbol' }).catch(() => undefined),
            readContract(client, { address: token, abi: erc20Abi, functionName: 'decimals' }).catch(() => undefined),
          ])
          return [token, { symbol, decimals }] as const
        }),
      ),
    )
    for (const c of changes) {
      if (c.asset === 'eth') Object.assign(c, { symbol: 'ETH', decimals: 18 })
      else {
        const m = meta.get(c.asset)
        if (m?.symbol !== undefined) c.symbol = m.symbol
        if (m?.decimals !== undefined) c.decimals = m.decimals
      }
    }
  }
  return { success, calls: simulated, changes, approvals }
}
