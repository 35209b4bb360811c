/**
 * The extension's side of a bridge connection (decision 0600): the service worker opens a WebSocket
 * to the agent's bridge on 127.0.0.1, sends a fresh nonce, and either takes a pairing offer (for the
 * popup, where the person types the code the agent shows: the bridge pairs only a connection that
 * sends it back) or checks that the bridge signs the nonce with the paired agent's key. Only then are its
 * calls served, each through `invokeCapability` as `agent:<name>`. An unpaired or forged connection
 * gets `refused` and is closed; a frame before authentication is never served.
 *
 * The socket dies with the service worker; the bridge's pings keep a busy worker alive (Chrome 116+
 * counts WebSocket traffic as activity) and `reconnectPairings` (worker start, the minute alarm) opens
 * it again.
 */

import { authMessage, type BridgeFrame, type ExtensionFrame, MAX_FRAME_BYTES } from '@seed/agent/bridge-protocol'
import { bytesToHex, type Hex, verifyMessage } from 'viem'
import { serializeError } from '../../core/errors.ts'
import type { PairingGrant, PairingOffer } from '../../core/storage.ts'
import { invokeCapability } from './dispatch.ts'
import { validateGrant } from './pairing-grant.ts'
import { installPairingKey } from './pairing-key.ts'
import { activePairings, decideOffer, PairingError, receiveOffer } from './pairings.ts'

const CONNECT_TIMEOUT_MS = 5_000

type Connection = { socket: WebSocket; nonce: Hex; pairingId?: string; offerId?: string }

/** Open connections: by pairing id once authenticated, by offer id while the person decides. */
const byPairing = new Map<string, Connection>()
const byOffer = new Map<string, Connection>()

const sendFrame = (socket: WebSocket, frame: ExtensionFrame) => {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame))
}

/** Only loopback bridges: the agent runs on this machine, and nothing else may pose as one. */
export function checkBridgeUrl(url: string) {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`Not a bridge address: ${url}`)
  }
  if (parsed.protocol !== 'ws:' || !['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname)) {
    throw new Error('The agent bridge must be ws://127.0.0.1:<port> (a local seed-agent)')
  }
  return parsed.toString()
}

function open(url: string): Promise<{ socket: WebSocket; first: Promise<BridgeFrame> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    const timer = setTimeout(() => {
      socket.close()
      reject(new Error(`No agent bridge answered at ${url}`))
    }, CONNECT_TIMEOUT_MS)
    socket.onerror = () => {
      clearTimeout(timer)
      reject(new Error(`No agent bridge at ${url}: start it with \`seed-agent pair\``))
    }
    socket.onopen = () => {
      clearTimeout(timer)
      const first = new Promise<BridgeFrame>((ok, fail) => {
        socket.onmessage = (event) => {
          try {
            ok(parseFrame(event.data))
          } catch (error) {
            fail(error)
          }
        }
        socket.onclose = () => fail(new Error('The agent bridge closed the connection'))
      })
      resolve({ socket, first })
    }
  })
}

/** The bridge's next frame on an open connection (its answer to the pairing code). */
function nextFrame(socket: WebSocket): Promise<BridgeFrame> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('The agent bridge did not answer')), CONNECT_TIMEOUT_MS)
    socket.onmessage = (event) => {
      clearTimeout(timer)
      try {
        ok(parseFrame(event.data))
      } catch (error) {
        fail(error)
      }
    }
    socket.onclose = () => {
      clearTimeout(timer)
      fail(new Error('The agent bridge closed the connection'))
    }
  })
}

function parseFrame(data: unknown): BridgeFrame {
  if (typeof data !== 'string' || data.length > MAX_FRAME_BYTES) throw new Error('Bad frame from the agent bridge')
  const frame = JSON.parse(data) as BridgeFrame
  if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') throw new Error('Bad frame')
  return frame
}

/** Serves calls on an authenticated connection until it closes. */
function serveCalls(connection: Connection, pairingId: string) {
  const { socket } = connection
  socket.onmessage = async (event) => {
    let frame: BridgeFrame
    try {
      frame = parseFrame(event.data)
    } catch {
      socket.close(1003, 'bad frame')
      return
    }
    if (frame.type === 'ping') return sendFrame(socket, { type: 'pong' })
    if (frame.type !== 'call' || typeof frame.id !== 'string') return
    try {
      const result = await invokeCapability({ kind: 'agent', pairingId }, frame.method as never, frame.params)
      sendFrame(socket, { type: 'result', id: frame.id, result: result ?? null })
    } catch (error) {
      sendFrame(socket, { type: 'error', id: frame.id, error: serializeError(error) })
      // A revoked or expired pairing is done: close its connection after saying why.
      const reason = ((error as { data?: { reasons?: { code: string }[] } }).data?.reasons ?? [])[0]?.code
      if (reason === 'revoked' || reason === 'expired' || reason === 'unpaired') socket.close(4100, reason)
    }
  }
  socket.onclose = () => {
    if (byPairing.get(pairingId) === connection) byPairing.delete(pairingId)
  }
}

/** Starts pairing with the bridge at `url`: its offer (name, code) for the popup to show. */
export async function startPairing(url: string): Promise<PairingOffer> {
  const bridgeUrl = checkBridgeUrl(url)
  const { socket, first } = await open(bridgeUrl)
  const nonce = bytesToHex(crypto.getRandomValues(new Uint8Array(32)))
  sendFrame(socket, { type: 'hello', nonce })
  try {
    const frame = await first
    if (frame.type === 'refused') throw new Error(frame.reason)
    if (frame.type !== 'pair')
      throw new Error('This bridge is already paired: revoke it here or start `seed-agent pair`')
    const offer = await receiveOffer(bridgeUrl, nonce, frame)
    const connection = { socket, nonce, offerId: offer.id }
    byOffer.set(offer.id, connection)
    socket.onclose = () => byOffer.delete(offer.id)
    return offer
  } catch (error) {
    sendFrame(socket, { type: 'refused', reason: (error as Error).message })
    socket.close()
    throw error
  }
}

/**
 * The person's decision in the popup: the pairing's on-chain key is installed first (decision 0605),
 * so its first call already meets it; then the bridge learns the decision on the offer's connection.
 */
export async function finishPairing(offerId: string, grant: PairingGrant | undefined, code?: string) {
  if (grant) validateGrant(grant)
  const connection = byOffer.get(offerId)
  byOffer.delete(offerId)
  if (grant) await confirmCode(offerId, connection, code)
  const decided = await decideOffer(offerId, grant)
  const pairing = decided && (await installPairingKey(decided))
  if (!connection) return pairing
  if (!pairing) {
    sendFrame(connection.socket, { type: 'refused', reason: 'The pairing was rejected in the Seed popup' })
    connection.socket.close()
    return undefined
  }
  sendFrame(connection.socket, { type: 'paired', pairingId: pairing.id, name: pairing.name })
  byPairing.set(pairing.id, connection)
  serveCalls(connection, pairing.id)
  return pairing
}

/**
 * The code the person typed goes to the bridge, which pairs only the connection that sent the code
 * it showed (decision 0600). A wrong code, or a bridge gone meanwhile, ends the offer.
 */
async function confirmCode(offerId: string, connection: Connection | undefined, code: string | undefined) {
  let answer: BridgeFrame = { type: 'refused', reason: 'The agent bridge closed the connection' }
  if (connection) {
    sendFrame(connection.socket, { type: 'code', code: code ?? '' })
    answer = await nextFrame(connection.socket).catch((error: Error) => ({ type: 'refused', reason: error.message }))
  }
  if (answer.type === 'codeOk') return
  connection?.socket.close()
  await decideOffer(offerId, undefined)
  throw new PairingError(
    `${answer.type === 'refused' ? answer.reason : 'The agent bridge did not confirm the code'}: start pairing again`,
  )
}

/** Opens (again) the connection of every active pairing that has none; the bridge must prove its key. */
export async function reconnectPairings() {
  for (const pairing of await activePairings()) {
    if (byPairing.has(pairing.id)) continue
    try {
      const { socket, first } = await open(pairing.bridgeUrl)
      const nonce = bytesToHex(crypto.getRandomValues(new Uint8Array(32)))
      sendFrame(socket, { type: 'hello', nonce })
      const frame = await first
      const valid =
        frame.type === 'auth' &&
        frame.pairingId === pairing.id &&
        (await verifyMessage({
          address: pairing.agentAddress,
          message: authMessage(nonce),
          signature: frame.signature,
        }).catch(() => false))
      if (!valid) {
        sendFrame(socket, { type: 'refused', reason: 'Not the paired agent' })
        socket.close()
        continue
      }
      const connection = { socket, nonce, pairingId: pairing.id }
      byPairing.set(pairing.id, connection)
      sendFrame(socket, { type: 'paired', pairingId: pairing.id, name: pairing.name })
      serveCalls(connection, pairing.id)
    } catch {
      // The agent's bridge is not running: try again at the next alarm.
    }
  }
}

/** A revoked pairing's connection closes at once. */
export function disconnectPairing(pairingId: string) {
  const socket = byPairing.get(pairingId)?.socket
  if (socket) sendFrame(socket, { type: 'refused', reason: 'revoked: the pairing was revoked in the Seed popup' })
  socket?.close(4100, 'revoked')
  byPairing.delete(pairingId)
}

export const isConnected = (pairingId: string) => byPairing.has(pairingId)
