/**
 * The embedded rollup's genesis (decision 0402), in one place: the Worker starts from it and a
 * verifier (`rollup-lite verify --genesis`) re-derives the chain from the same JSON. Its chain id is
 * the agent's own; it funds the accounts it is given (the agent's rollup account and the devnet's
 * public dev keys, only in a build made with the explicit dev flag `devRollupAccounts`; nobody
 * otherwise: a real chain's ETH arrives by deposit); and the bridge predeploys (rollup-lite SPEC §10)
 * naming the agent's inbox, so its withdrawals are proven against the outputs its batches post.
 */
import { l2BridgePredeploys } from '@seed/contracts'
import type { Genesis } from '@seed/rollup-lite'
import { parseEther } from 'viem'
import type { RollupGenesisConfig } from './worker-api.ts'

const FUNDING = parseEther('10000')

export function embeddedGenesis(config: RollupGenesisConfig): Genesis {
  return {
    chainId: BigInt(config.chainId),
    timestamp: 0n,
    alloc: {
      ...l2BridgePredeploys({ inbox: config.inbox }),
      ...Object.fromEntries(config.funded.map((a) => [a, { balance: FUNDING }])),
    },
  }
}

/** The same genesis as rollup-lite's genesis JSON (what `rollup-lite verify --genesis` reads). */
export function embeddedGenesisJson(config: RollupGenesisConfig) {
  return {
    chainId: config.chainId,
    timestamp: 0,
    alloc: {
      ...l2BridgePredeploys({ inbox: config.inbox }),
      ...Object.fromEntries(config.funded.map((a) => [a, { balance: FUNDING.toString() }])),
    },
  }
}
