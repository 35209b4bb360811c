/**
 * The one reader of the L1 portal (`SeedPortal`, SPEC.md §10) for the sequencer, derivation and the
 * wallet: a chain's deposits in a range of L1 blocks, and its force-inclusion window.
 */
import { SEED_PORTAL, SeedPortalAbi } from '@seed/contracts'
import type { Address, Client } from 'viem'
import { getLogs, readContract } from 'viem/actions'
import { type Deposit, decodeDepositLog, portalEventsAbi } from './deposit.ts'
import { DepositDecodeError } from './errors.ts'
import { depositsForOrigin } from './l1-origin.ts'

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

/** The chain's force-inclusion window in seconds; 0 when its owner registered no bridge config. */
export async function readForceWindow(client: Client, { inbox, portal = SEED_PORTAL }: PortalRef): Promise<bigint> {
  return readContract(client, { address: portal, abi: SeedPortalAbi, functionName: 'forceWindowOf', args: [inbox] })
}
