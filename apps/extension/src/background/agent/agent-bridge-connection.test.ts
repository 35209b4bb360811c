/**
 * The extension's side of a bridge connection against a real WebSocket server on 127.0.0.1 (the
 * `ws` package stands in for the service worker's WebSocket): a paired agent proves its key on
 * reconnection and its calls are served; a bridge signing with another key is refused and never served.
 */
import type { AddressInfo } from 'node:net'
import { authMessage, type ExtensionFrame } from '@seed/agent/bridge-protocol'
import type { Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { stored } from '../../core/storage.ts'
import { useMemoryExtension } from '../../test-support/memory-extension.ts'
import { reconnectPairings } from './bridge-connection.ts'

let server: WebSocketServer | undefined
beforeEach(() => {
  useMemoryExtension()
  vi.stubGlobal('WebSocket', WebSocket)
})
afterEach(async () => {
  for (const client of server?.clients ?? []) client.terminate()
  await new Promise((resolve) => server?.close(resolve))
  server = undefined
})

/** A bridge that answers each hello with an auth signed by `signer`, then makes one call. */
async function bridge(signer: ReturnType<typeof privateKeyToAccount>, pairingId: string) {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise((resolve) => server!.once('listening', resolve))
  const frames: ExtensionFrame[] = []
  let closed = false
  server.on('connection', (socket) => {
    socket.on('message', async (data) => {
      const frame = JSON.parse(String(data)) as ExtensionFrame
      frames.push(frame)
      if (frame.type === 'hello') {
        const signature = await signer.signMessage({ message: authMessage(frame.nonce as Hex) })
        socket.send(JSON.stringify({ type: 'auth', pairingId, signature }))
        // A call before the extension accepted the auth: never served.
        socket.send(JSON.stringify({ type: 'call', id: '0', method: 'log', params: { message: 'too early' } }))
      }
      if (frame.type === 'paired') {
        socket.send(JSON.stringify({ type: 'call', id: '1', method: 'log', params: { message: 'from the bridge' } }))
      }
    })
    socket.on('close', () => {
      closed = true
    })
  })
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, frames, closed: () => closed }
}

async function paired(agentAddress: `0x${string}`, bridgeUrl: string, id = 'p1') {
  await stored.pairings.set({
    [id]: {
      id,
      name: 'bot',
      bridgeUrl,
      agentAddress,
      createdAt: Date.now(),
      grant: {
        budgetEth: '1',
        budgetUsd: '1',
        allowedTargets: [],
        expiresAt: Date.now() + 86_400_000,
        approvalAboveEth: '0.1',
        approvalAboveUsd: '0.1',
      },
    },
  })
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
}

describe('bridge connection (extension side)', () => {
  test('the paired agent proves its key on reconnection; then its calls are served as agent:<name>', async () => {
    const agent = privateKeyToAccount(generatePrivateKey())
    const b = await bridge(agent, 'p1')
    await paired(agent.address, b.url)
    await reconnectPairings()
    await until(() => b.frames.some((f) => f.type === 'result'))
    expect(b.frames.map((f) => f.type)).toEqual(['hello', 'paired', 'result'])
    expect(b.frames[2]).toMatchObject({ id: '1' })
    expect(await stored.agentLog.get()).toEqual([
      expect.objectContaining({ by: 'agent:bot', message: 'from the bridge' }),
    ])
  })

  test('attack: a bridge signing with another key (a forged agent on the paired port) is refused and never served', async () => {
    const agent = privateKeyToAccount(generatePrivateKey())
    const forger = privateKeyToAccount(generatePrivateKey())
    const b = await bridge(forger, 'p2')
    await paired(agent.address, b.url, 'p2')
    await reconnectPairings()
    await until(() => b.frames.length >= 2)
    expect(b.frames.map((f) => f.type)).toEqual(['hello', 'refused'])
    expect(await stored.agentLog.get()).toEqual([])
  })
})
