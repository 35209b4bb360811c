/**
 * The bridge against a WebSocket client speaking the extension's side of the protocol: who may connect,
 * the signed offer and its code, the pinned extension after pairing, calls and refusals.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Hex, toHex, verifyMessage } from 'viem'
import { afterEach, describe, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { type Bridge, startBridge } from './bridge.ts'
import { authMessage, type BridgeFrame, pairMessage } from './bridge-protocol.ts'
import { SeedAgentError } from './errors.ts'
import { loadIdentity, saveIdentity } from './identity.ts'

const EXTENSION = `chrome-extension://${'a'.repeat(32)}`
const OTHER_EXTENSION = `chrome-extension://${'b'.repeat(32)}`
let bridge: Bridge | undefined
let home: string | undefined
afterEach(async () => {
  await bridge?.close()
  bridge = undefined
  if (home) rmSync(home, { recursive: true, force: true })
  home = undefined
})

function connect(url: string, origin?: string) {
  const socket = new WebSocket(url, origin ? { origin } : {})
  const frames: BridgeFrame[] = []
  const waiters: (() => void)[] = []
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)))
    for (const w of waiters.splice(0)) w()
  })
  const next = async (): Promise<BridgeFrame> => {
    while (!frames.length) await new Promise<void>((r) => waiters.push(r))
    return frames.shift()!
  }
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)))
  })
  return { socket, next, opened, send: (frame: unknown) => socket.send(JSON.stringify(frame)) }
}

const nonce = () => toHex(crypto.getRandomValues(new Uint8Array(32)))

async function freshBridge() {
  const dir = mkdtempSync(join(tmpdir(), 'seed-agent-'))
  home = dir // removed after each test
  const codes: string[] = []
  const identity = loadIdentity(dir, 'bot')
  bridge = await startBridge({ identity, port: 0, save: (i) => saveIdentity(dir, i), onCode: (c) => codes.push(c) })
  return { bridge, codes, home: dir }
}

describe('bridge', () => {
  test('attack: a web page (or anything without an extension origin) cannot open the bridge', async () => {
    const { bridge } = await freshBridge()
    await expect(connect(bridge.url, 'http://evil.test').opened).rejects.toThrow(/refused: 401/)
    await expect(connect(bridge.url).opened).rejects.toThrow(/refused: 401/)
  })

  test("pairing: the offer is signed for this connection's nonce; the code is the agent's alone", async () => {
    const { bridge, codes } = await freshBridge()
    const ext = connect(bridge.url, EXTENSION)
    await ext.opened
    const n = nonce()
    ext.send({ type: 'hello', nonce: n })
    const offer = await ext.next()
    expect(offer.type).toBe('pair')
    if (offer.type !== 'pair') return
    expect(offer.name).toBe('bot')
    expect(
      await verifyMessage({ address: offer.agentAddress, message: pairMessage(n), signature: offer.signature }),
    ).toBe(true)
    expect(codes).toHaveLength(1)
    expect(codes[0]).toMatch(/^\d{3} \d{3}$/)
    expect(JSON.stringify(offer)).not.toContain(codes[0]!.replace(' ', '')) // never on the wire
    expect(bridge.isConnected()).toBe(false) // nothing is served before the person approves
  })

  test('once paired: calls go out and come back; refusals keep their code and reasons; the origin is pinned', async () => {
    const { bridge, home, codes } = await freshBridge()
    const ext = connect(bridge.url, EXTENSION)
    await ext.opened
    ext.send({ type: 'hello', nonce: nonce() })
    const offer = await ext.next()
    ext.send({ type: 'code', code: codes[0] }) // as the person typed it into the popup
    expect(await ext.next()).toEqual({ type: 'codeOk' })
    ext.send({ type: 'paired', pairingId: 'p1', name: 'bot' })
    await bridge.connected(5_000)
    expect(loadIdentity(home, 'bot')).toMatchObject({ pairingId: 'p1', extensionOrigin: EXTENSION })

    const answered = bridge.invoke('wallet.addresses')
    const call = await ext.next()
    expect(call).toMatchObject({ type: 'call', method: 'wallet.addresses' })
    ext.send({ type: 'result', id: (call as { id: string }).id, result: { smartAccount: '0x01' } })
    expect(await answered).toEqual({ smartAccount: '0x01' })

    const refused = bridge.invoke('rollup.send', { to: '0x02' })
    const second = (await ext.next()) as { id: string }
    ext.send({
      type: 'error',
      id: second.id,
      error: { code: 4100, message: 'Blocked', data: { reasons: [{ code: 'budget', message: 'over' }] } },
    })
    const error = await refused.catch((e) => e)
    expect(error).toBeInstanceOf(SeedAgentError)
    expect(error).toMatchObject({ code: 4100, reasons: [{ code: 'budget', message: 'over' }] })

    // attack: another extension (or a process posing as one) cannot take the paired bridge over.
    await expect(connect(bridge.url, OTHER_EXTENSION).opened).rejects.toThrow(/refused: 401/)
    // The paired extension reconnecting gets the agent's proof over its fresh nonce.
    const again = connect(bridge.url, EXTENSION)
    await again.opened
    const n = nonce()
    again.send({ type: 'hello', nonce: n })
    const auth = await again.next()
    expect(auth.type).toBe('auth')
    if (auth.type !== 'auth' || offer.type !== 'pair') return
    expect(auth.pairingId).toBe('p1')
    expect(
      await verifyMessage({ address: offer.agentAddress, message: authMessage(n), signature: auth.signature as Hex }),
    ).toBe(true)
  })

  test('attack: before its first pairing, a local process posing as the extension cannot pair without the code', async () => {
    const { bridge, codes, home } = await freshBridge()
    // Skips the code: straight from the offer to "paired".
    const fake = connect(bridge.url, OTHER_EXTENSION)
    await fake.opened
    fake.send({ type: 'hello', nonce: nonce() })
    expect((await fake.next()).type).toBe('pair')
    const closed = new Promise((resolve) => fake.socket.once('close', resolve))
    fake.send({ type: 'paired', pairingId: 'evil', name: 'bot' })
    await closed
    expect(bridge.isConnected()).toBe(false)
    expect(loadIdentity(home, 'bot').pairingId).toBeUndefined()
    // Guesses it: refused, and after a few wrong codes the bridge stops offering.
    for (let i = 0; i < 3; i++) {
      const guess = connect(bridge.url, OTHER_EXTENSION)
      await guess.opened
      guess.send({ type: 'hello', nonce: nonce() })
      expect((await guess.next()).type).toBe('pair')
      guess.send({ type: 'code', code: codes.at(-1) === '000 000' ? '000 001' : '000 000' })
      expect(await guess.next()).toMatchObject({ type: 'refused' })
    }
    const late = connect(bridge.url, EXTENSION)
    await late.opened
    late.send({ type: 'hello', nonce: nonce() })
    expect(await late.next()).toMatchObject({ type: 'refused', reason: expect.stringContaining('restart') })
    await expect(bridge.invoke('wallet.addresses', undefined, { connectTimeoutMs: 100 })).rejects.toMatchObject({
      code: 4900,
    })
  })

  test('a call with no wallet connected fails with a clear 4900, not a hang', async () => {
    const { bridge } = await freshBridge()
    await expect(bridge.invoke('wallet.balances', undefined, { connectTimeoutMs: 50 })).rejects.toMatchObject({
      code: 4900,
      message: expect.stringContaining('Pair an agent'),
    })
  })
})
