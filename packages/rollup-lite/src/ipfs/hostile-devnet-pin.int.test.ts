/**
 * The devnet stack's IPFS peer under strangers (decision 0310): it pins only for its allowed keys and
 * for the current sequencer of an inbox the RollupInboxFactory made (each agent's batcher), over HTTP
 * and libp2p; a rotated-out sequencer loses the right; a burst of unknown signers costs L1 at most the
 * peer's lookup cap per second, the rest told to retry later.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Helia } from '@helia/interface'
import { RollupInboxAbi, RollupInboxBytecode, RollupInboxFactoryAbi } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import { createPublicClient, createWalletClient, http, type LocalAccount, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { channelCid } from '../protocol/codec/cid.ts'
import { createFsHeliaNode } from './helia-node-fs.ts'
import { heliaPinner } from './helia-pinner.ts'
import { PIN_SIGNATURE_HEADER, pinMessage } from './pin-protocol.ts'

const manifest = inject('manifest')
const ipfsHttp = manifest.services.ipfsHttp as string
const ipfsPeer = manifest.services.ipfs as string
const transport = http(manifest.l1.rpcUrl)
const l1 = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
const factory = manifest.contracts.rollupInboxFactory
const dir = mkdtempSync(join(tmpdir(), 'seed-hostile-pin-'))
let batcherNode: Helia

beforeAll(async () => {
  batcherNode = await createFsHeliaNode(dir)
}, 60_000)
afterAll(async () => {
  await batcherNode?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const batch = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(512))
  return { bytes, cid: channelCid(bytes) }
}
/** A pin request signed by `signer` (unsigned without one), ready to send. */
const signedPin = async (signer?: LocalAccount) => {
  const { bytes, cid } = batch()
  return { bytes, cid, signature: signer && (await signer.signMessage({ message: pinMessage(cid) })) }
}
/** POST /pin signed by `signer` (unsigned without one); resolves to the HTTP status. */
const postPin = async (signer?: LocalAccount) => send(await signedPin(signer))
const send = async ({ bytes, cid, signature }: Awaited<ReturnType<typeof signedPin>>) => {
  const res = await fetch(`${ipfsHttp}/pin?cid=${cid}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      ...(signature ? { [PIN_SIGNATURE_HEADER]: signature } : {}),
    },
    body: bytes as BodyInit,
  })
  await res.arrayBuffer()
  return { status: res.status, cid }
}
const held = async (cid: ReturnType<typeof channelCid>) => (await fetch(`${ipfsHttp}/ipfs/${cid}`)).status === 200
const libp2pPin = (signer?: LocalAccount) => {
  const { bytes, cid } = batch()
  return heliaPinner(batcherNode, ipfsPeer, signer ? { signer } : {}).pin(cid, bytes)
}
/** Polls `probe` until it returns `want` (bounded: the peer's answer caches last seconds, not minutes). */
const eventually = async <T>(probe: () => Promise<T>, want: T, ms = 30_000) => {
  const deadline = Date.now() + ms
  let got = await probe()
  while (got !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500))
    got = await probe()
  }
  return got
}

/** A fresh agent: a funded owner creates its inbox through the factory with a fresh batcher key. */
async function freshAgent() {
  const owner = privateKeyToAccount(generatePrivateKey())
  const batcher = privateKeyToAccount(generatePrivateKey())
  const funder = createWalletClient({ chain: foundry, transport, account: devAccount('user') })
  await l1.waitForTransactionReceipt({
    hash: await funder.sendTransaction({ to: owner.address, value: parseEther('1') }),
  })
  const wallet = createWalletClient({ chain: foundry, transport, account: owner })
  const createInbox = () =>
    wallet.writeContract({
      address: factory,
      abi: RollupInboxFactoryAbi,
      functionName: 'createInbox',
      args: [batcher.address],
    })
  return { owner, batcher, wallet, createInbox }
}

describe('strangers', () => {
  test('an unsigned pin and a stranger’s pin are refused over HTTP, nothing held', async () => {
    const unsigned = await postPin()
    expect(unsigned.status).toBe(401)
    const stranger = await postPin(privateKeyToAccount(generatePrivateKey()))
    expect(stranger.status).toBe(403)
    expect(await held(unsigned.cid)).toBe(false)
    expect(await held(stranger.cid)).toBe(false)
  })

  test('an unsigned pin and a stranger’s pin are refused over libp2p', async () => {
    await expect(libp2pPin()).rejects.toThrow(/must be signed/)
    await expect(libp2pPin(privateKeyToAccount(generatePrivateKey()))).rejects.toThrow(/not allowed/)
  }, 60_000)
})

describe('agents’ batchers (the factory rule)', () => {
  test('a batcher key is refused until its inbox exists, then pins over HTTP and libp2p', async () => {
    const agent = await freshAgent()
    expect((await postPin(agent.batcher)).status).toBe(403)
    await l1.waitForTransactionReceipt({ hash: await agent.createInbox() })
    // Its refusal was cached for a moment; then the lookup finds the inbox.
    const accepted = await eventually(async () => (await postPin(agent.batcher)).status, 200)
    expect(accepted).toBe(200)
    await libp2pPin(agent.batcher)
  }, 60_000)

  test('after setSequencer the old key is refused and the new one pins', async () => {
    const agent = await freshAgent()
    await l1.waitForTransactionReceipt({ hash: await agent.createInbox() })
    expect(await eventually(async () => (await postPin(agent.batcher)).status, 200)).toBe(200)
    const inbox = await l1.readContract({
      address: factory,
      abi: RollupInboxFactoryAbi,
      functionName: 'inboxOf',
      args: [agent.owner.address],
    })
    const next = privateKeyToAccount(generatePrivateKey())
    await l1.waitForTransactionReceipt({
      hash: await agent.wallet.writeContract({
        address: inbox,
        abi: RollupInboxAbi,
        functionName: 'setSequencer',
        args: [next.address],
      }),
    })
    // Refused once its cached admission (seconds) runs out.
    expect(await eventually(async () => (await postPin(agent.batcher)).status, 403)).toBe(403)
    await expect(libp2pPin(agent.batcher)).rejects.toThrow(/not allowed/)
    expect(await eventually(async () => (await postPin(next)).status, 200)).toBe(200)
  }, 90_000)

  test('a new batcher’s concurrent first pins share one L1 lookup: none is told to retry', async () => {
    const agent = await freshAgent()
    await l1.waitForTransactionReceipt({ hash: await agent.createInbox() })
    await new Promise((r) => setTimeout(r, 1_100)) // a fresh one-second window of lookups
    // Signed first, so the requests arrive together, before any lookup has answered.
    const pins = await Promise.all(Array.from({ length: 40 }, () => signedPin(agent.batcher)))
    const statuses = await Promise.all(pins.map(async (pin) => (await send(pin)).status))
    expect(statuses).toEqual(Array(40).fill(200))
  }, 60_000)

  test('a contract that only emits SequencerChanged for a key does not make it a pinner', async () => {
    // The factory-check: an inbox deployed outside the factory names any sequencer it likes.
    const owner = createWalletClient({ chain: foundry, transport, account: devAccount('user') })
    const impostor = privateKeyToAccount(generatePrivateKey())
    const hash = await owner.deployContract({
      abi: RollupInboxAbi,
      bytecode: RollupInboxBytecode,
      args: [owner.account.address, impostor.address],
    })
    await l1.waitForTransactionReceipt({ hash })
    expect((await postPin(impostor)).status).toBe(403)
  }, 60_000)
})

test('a burst of unknown signers: L1 lookups stay under the per-second cap, the rest get 429', async () => {
  // Past the previous tests' lookups: a fresh one-second window.
  await new Promise((r) => setTimeout(r, 1_100))
  const signers = Array.from({ length: 100 }, () => privateKeyToAccount(generatePrivateKey()))
  const started = Date.now()
  const statuses = await Promise.all(signers.map(async (s) => (await postPin(s)).status))
  const seconds = Math.ceil((Date.now() - started) / 1000)
  const lookedUp = statuses.filter((s) => s === 403).length
  const tooMany = statuses.filter((s) => s === 429).length
  expect(lookedUp + tooMany).toBe(signers.length)
  expect(tooMany).toBeGreaterThan(0)
  // The default cap is 20 lookups per second; a window may straddle the burst's edges.
  expect(lookedUp).toBeLessThanOrEqual(20 * (seconds + 1))
  // The operator's own keys never wait on the cap.
  expect((await postPin(devAccount('sequencer'))).status).toBe(200)
}, 60_000)
