/**
 * The wire protocol between the extension and a local agent bridge (`seed-agent`, decision 0600):
 * JSON text frames over a WebSocket the extension opens to 127.0.0.1. Shared with @seed/agent.
 *
 *   extension → bridge  hello { nonce }                   fresh 32 random bytes per connection
 *   bridge → extension  pair { name, agentAddress, signature }   unpaired agent: signs pairMessage(nonce)
 *                       auth { pairingId, signature }           paired agent: signs authMessage(nonce)
 *                       refused { reason }                      too many wrong codes: restart to pair
 *   extension → bridge  code { code }                      unpaired: the code the person typed
 *   bridge → extension  codeOk | refused { reason }
 *   extension → bridge  paired { pairingId, name } | refused { reason }
 *   bridge → extension  call { id, method, params }         only on a paired, authenticated connection
 *   extension → bridge  result { id, result } | error { id, error: { code, message, data } }
 *   bridge → extension  ping (every 20 s: keeps the MV3 service worker alive)  → pong
 *
 * The pairing code is random per offer and never crosses the socket: the agent shows it to the person,
 * who types it into the popup, and the bridge takes "paired" only on the connection that sent it. Any
 * local process can open the socket with an extension's Origin header; only the person's wallet knows
 * the code (decision 0600). A few wrong codes and the bridge stops offering until it is restarted.
 */
import type { Address, Hex } from 'viem'

export type ExtensionFrame =
  | { type: 'hello'; nonce: Hex }
  | { type: 'code'; code: string }
  | { type: 'paired'; pairingId: string; name: string }
  | { type: 'refused'; reason: string }
  | { type: 'result'; id: string; result: unknown }
  | { type: 'error'; id: string; error: { code: number; message: string; data?: unknown } }
  | { type: 'pong' }

export type BridgeFrame =
  | { type: 'pair'; name: string; agentAddress: Address; signature: Hex }
  | { type: 'auth'; pairingId: string; signature: Hex }
  | { type: 'codeOk' }
  | { type: 'refused'; reason: string }
  | { type: 'call'; id: string; method: string; params?: unknown }
  | { type: 'ping' }

export const pairMessage = (nonce: Hex) => `seed-agent pair ${nonce}`
export const authMessage = (nonce: Hex) => `seed-agent auth ${nonce}`

/** Six random digits, shown as "123 456" by the agent and typed into the popup. */
export function newPairingCode() {
  const [n] = crypto.getRandomValues(new Uint32Array(1))
  const digits = (n! % 1_000_000).toString().padStart(6, '0')
  return `${digits.slice(0, 3)} ${digits.slice(3)}`
}

/** The code as typed (spaces and dashes ignored), for comparison. */
export const normalizeCode = (code: unknown) => (typeof code === 'string' ? code.replace(/[\s-]/g, '') : '')

/** The bridge's default port (x402's status code, in the 7000s). */
export const DEFAULT_BRIDGE_PORT = 7402
/** Frames larger than this are refused (a result may carry a fetched body of up to 1 MB). */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024
