import type { Address, Chain, Client, Hex, Transport } from 'viem'

/** Any viem client that reaches L1 (public, wallet or smart-account client). */
export type L1Client = Client<Transport, Chain | undefined>

/** One call for the caller to send (through the wallet's action pipeline): the bridge actions never send. */
export type BridgeCall = { to: Address; data: Hex; value: bigint }
