/**
 * Issue 7's devnet setup: Multicall3 at its canonical address (x402's EVM facilitator reads through it;
 * anvil does not have it). Its canonical address comes from a keyed deployment, not CREATE2, so it is not
 * one of Seed's deterministic deployments (decision 0004); the payment channel is (deploy-seed.ts).
 */
import { Multicall3DeployedBytecode } from '@seed/contracts'
import type { PublicClient } from 'viem'

export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11' as const

export async function setMulticall3(publicClient: PublicClient) {
  await publicClient.request({
    method: 'anvil_setCode',
    params: [MULTICALL3_ADDRESS, Multicall3DeployedBytecode],
  } as never)
}
