/**
 * The one reader of the L1 portal (`SeedPortal`, SPEC.md §10) for the sequencer, derivation and the
 * wallet: a chain's deposits in a range of L1 blocks, and when its bridge began (config and force window).
 */
import { SEED_PORTAL, SeedPortalAbi } from '@seed/contracts'
import type { Address, Client } from 'viem'
import { getLogs } from 'viem/actions'
import { type Deposit, decodeDepositLog, portalEventsAbi } from './deposit.ts'
import { DepositDecodeError } from './errors.ts'
import { type BridgeActivation, depositsForOrigin } from './l1-origin.ts'

export type PortalRef = { inbox: Address; portal?: Address }

/** The deposits of `inbox` in L1 blocks (after, upTo], in L1 log order (what a block moving its origin includes). */
export async function readDeposits(
  client: Client,
  { inbox, portal = SEED_PORTAL, after, upTo }: PortalRef & { after: bigint; upTo: bigint },
): Promise<Deposit[]> {
  if (upTo <= after) return []
  const logs = await getLogs(client, {
    address: portal,
    event: portalEventsAbi[0],
    args: { inbox },
    fromBlock: after + 1n,
    toBlock: upTo,
    strict: true,
  })
  const deposits: Deposit[] = []
  for (const log of logs) {
    try {
      deposits.push(
        decodeDepositLog({
          topics: log.topics,
          data: log.data,
          blockHash: log.blockHash,
          blockNumber: log.blockNumber,
          logIndex: log.logIndex,
        }),
      )
    } catch (e) {
      // Not a deposit by the rules (§10.1): the portal never emits one, and a node skips it like any other.
      if (!(e instanceof DepositDecodeError)) throw e
    }
  }
  return depositsForOrigin(deposits, after, upTo)
}

const bridgeConfigRegistered = SeedPortalAbi.find(
  (item): item is Extract<typeof item, { type: 'event'; name: 'BridgeConfigRegistered' }> =>
    item.type === 'event' && item.name === 'BridgeConfigRegistered',
)!

/**
 * The L1 block in which the chain's bridge config was registered, with its force window, from the portal's
 * log (a state read at an old block is not served by every L1 node; the log is), or undefined when none is
 * registered up to `upTo` (default: the latest block). The config is registered once and never changes.
 */
export async function readBridgeActivation(
  client: Client,
  { inbox, portal = SEED_PORTAL, upTo }: PortalRef & { upTo?: bigint },
): Promise<BridgeActivation | undefined> {
  const [log] = await getLogs(client, {
    address: portal,
    event: bridgeConfigRegistered,
    args: { inbox },
    fromBlock: 0n,
    toBlock: upTo ?? 'latest',
    strict: true,
  })
  return log && { l1Block: log.blockNumber, forceWindow: log.args.config.forceWindow }
}
