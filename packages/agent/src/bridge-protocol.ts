/**
 * The wire protocol between the extension and a local agent bridge (`seed-agent`, decision 0600):
 * JSON text frames over a WebSocket the extension opens to 127.0.0.1. Shared with @seed/agent.
 *
 *   extension → bridge  hello { nonce }                   fresh 32 random bytes per connection
 *   bridge → extension  pair { name, agentAddress, signature }   unpaired agent: signs pairMessage(nonce)
 *                       auth { pairingId, signature }           paired agent: signs authMessage(nonce)
 *   extension → bridge  paired { pairingId, name } | refused { reason }
 *   bridge → extension  call { id, method, params }         only on a paired, authenticated connection
 *   extension → bridge  result { id, result } | error { id, error: { code, message, data } }
 *   bridge → extension  ping (every 20 s: keeps the MV3 service worker alive)  → pong
 *
 * The code both sides show is derived from the extension's nonce and the agent's key, so it changes
 * with every offer and a code (or a signed offer) seen once is worth nothing later.
 */
import { type Address, concat, type Hex, hexToBigInt, keccak256 } from 'viem'

export type ExtensionFrame =
  | { type: 'hello'; nonce: Hex }
  | { type: 'paired'; pairingId: string; name: string }
  | { type: 'refused'; reason: string }
  | { type: 'result'; id: string; result: unknown }
  | { type: 'error'; id: string; error: { code: number; message: string; data?: unknown } }
  | { type: 'pong' }

export type BridgeFrame =
  | { type: 'pair'; name: string; agentAddress: Address; signature: Hex }
  | { type: 'auth'; pairingId: string; signature: Hex }
  | { type: 'call'; id: string; method: string; params?: unknown }
  | { type: 'ping' }

export const pairMessage = (nonce: Hex) => `seed-agent pair ${nonce}`
export const authMessage = (nonce: Hex) => `seed-agent auth ${nonce}`

/** Six digits, shown as "123 456" on both sides. */
export function pairingCode(nonce: Hex, agentAddress: Address) {
  const digits = (hexToBigInt(keccak256(concat([nonce, agentAddress.toLowerCase() as Hex]))) % 1_000_000n)
    .toString()
    .padStart(6, '0')
  return `${digits.slice(0, 3)} ${digits.slice(3)}`
}

/** The bridge's default port (x402's status code, in the 7000s). */
export const DEFAULT_BRIDGE_PORT = 7402
/** Frames larger than this are refused (a result may carry a fetched body of up to 1 MB). */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024
