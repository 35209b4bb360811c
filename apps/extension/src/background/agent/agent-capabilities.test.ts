/** The capability API's gate: who may call (pairings, revocation, expiry), what params pass, the grant's verdicts. */
import { evaluatePolicy, initialPolicyState } from '@seed/aa'
import { pairMessage } from '@seed/agent/bridge-protocol'
import { type Address, parseEther, parseUnits, toHex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { beforeEach, describe, expect, test } from 'vitest'
import { getDevnetConfig } from '../../core/config.ts'
import { type Pairing, type PairingGrant, stored } from '../../core/storage.ts'
import { useMemoryExtension } from '../../test-support/memory-extension.ts'
import { DEFAULT_POLICY } from '../actions/policy.ts'
import { executeRequest } from '../actions/requests.ts'
import { decide } from '../approvals/approvals.ts'
import { saveNetwork } from '../networks/registry.ts'
import { actFor } from './act.ts'
import { resolveCaller } from './caller.ts'
import { invokeCapability } from './dispatch.ts'
import { grantPipeline, grantPolicy } from './pairing-grant.ts'
import { decideOffer, receiveOffer, revokePairing } from './pairings.ts'

const usd: Address = '0x00000000000000000000000000000000000000c3'
const seller: Address = '0x00000000000000000000000000000000000000b2'
const account: Address = '0x00000000000000000000000000000000000000a1'
const grant = (over: Partial<PairingGrant> = {}): PairingGrant => ({
  budgetEth: '0.1',
  budgetUsd: '5',
  allowedTargets: [],
  expiresAt: Date.now() + 86_400_000,
  approvalAboveEth: '0.01',
  approvalAboveUsd: '1',
  ...over,
})
const nonce = () => toHex(crypto.getRandomValues(new Uint8Array(32)))

async function pair(name = 'bot', over: Partial<PairingGrant> = {}): Promise<Pairing> {
  const agent = privateKeyToAccount(generatePrivateKey())
  const n = nonce()
  const offer = await receiveOffer('ws://127.0.0.1:7402', n, {
    name,
    agentAddress: agent.address,
    signature: await agent.signMessage({ message: pairMessage(n) }),
  })
  return (await decideOffer(offer.id, grant(over)))!
}

beforeEach(() => {
  useMemoryExtension()
})

/** A configured network, so the wallet knows which token is Seed USD (nothing is dialled); its address. */
async function configuredNetwork(): Promise<Address> {
  const network = { id: 'grant-tokens', name: 'Grant tokens', preset: 'custom' as const, ipfsUrl: '', ipfsPeer: '' }
  await saveNetwork({
    ...network,
    l1: { chainId: 31400, rpcUrl: 'http://127.0.0.1:9' },
    bundlerUrl: 'http://127.0.0.1:9',
    beaconUrl: '',
    facilitatorUrl: '',
  })
  await stored.activeNetwork.set(network.id)
  return (await getDevnetConfig()).contracts.usd
}

describe('pairing', () => {
  test('attack: an offer signed for another connection (a replayed offer) is refused', async () => {
    const agent = privateKeyToAccount(generatePrivateKey())
    const old = nonce()
    const signature = await agent.signMessage({ message: pairMessage(old) })
    await expect(
      receiveOffer('ws://127.0.0.1:7402', nonce(), { name: 'bot', agentAddress: agent.address, signature }),
    ).rejects.toThrow(/not signed for this connection/)
  })

  test('attack: a pairing code is decided once; a replayed approval is refused', async () => {
    const agent = privateKeyToAccount(generatePrivateKey())
    const n = nonce()
    const offer = await receiveOffer('ws://127.0.0.1:7402', n, {
      name: 'bot',
      agentAddress: agent.address,
      signature: await agent.signMessage({ message: pairMessage(n) }),
    })
    await decideOffer(offer.id, undefined) // rejected in the popup
    await expect(decideOffer(offer.id, grant())).rejects.toThrow(/already decided/)
    expect(await stored.pairings.get()).toEqual({})
  })

  test('an unknown, revoked or expired pairing is refused before anything runs (4100 with the reason)', async () => {
    await expect(invokeCapability({ kind: 'agent', pairingId: 'nope' }, 'policy.get')).rejects.toMatchObject({
      code: 4100,
      data: { reasons: [{ code: 'unpaired' }] },
    })
    const pairing = await pair()
    await revokePairing(pairing.id)
    await expect(invokeCapability({ kind: 'agent', pairingId: pairing.id }, 'wallet.addresses')).rejects.toMatchObject({
      code: 4100,
      data: { reasons: [{ code: 'revoked' }] },
    })
    const expiring = await pair('soon')
    await stored.pairings.set({
      ...(await stored.pairings.get()),
      [expiring.id]: { ...expiring, grant: { ...expiring.grant, expiresAt: Date.now() - 1 } },
    })
    await expect(invokeCapability({ kind: 'agent', pairingId: expiring.id }, 'wallet.addresses')).rejects.toMatchObject(
      {
        code: 4100,
        data: { reasons: [{ code: 'expired' }] },
      },
    )
  })

  test("revoking rejects the pairing's approvals still waiting in a window", async () => {
    const pairing = await pair()
    await stored.requests.item('agent-1').set({
      id: 'agent-1',
      origin: 'agent:bot',
      method: 'eth_sendTransaction',
      params: [],
      chainId: 1,
      status: 'pending',
      createdAt: Date.now(),
    })
    await revokePairing(pairing.id)
    expect(await stored.requests.item('agent-1').get()).toMatchObject({ status: 'rejected', error: { code: 4001 } })
  })
})

describe('dispatch', () => {
  test('an unknown method is 4200; malformed params are -32602 and say what was wrong', async () => {
    const { id } = await pair()
    const caller = { kind: 'agent' as const, pairingId: id }
    await expect(invokeCapability(caller, 'wallet.drain' as never)).rejects.toMatchObject({ code: 4200 })
    await expect(invokeCapability(caller, 'rollup.send', { to: 'nope' })).rejects.toMatchObject({
      code: -32602,
      message: 'rollup.send.to: not an address',
    })
    await expect(
      invokeCapability(caller, 'wallet.sendCalls', { chain: 'l3', calls: [{ to: seller }] }),
    ).rejects.toMatchObject({
      code: -32602,
    })
    await expect(invokeCapability(caller, 'wallet.sendCalls', { chain: 'l1', calls: [] })).rejects.toMatchObject({
      code: -32602,
    })
    await expect(invokeCapability(caller, 'x402.fetch', { url: 'file:///etc/passwd' })).rejects.toMatchObject({
      code: -32602,
    })
    await expect(invokeCapability(caller, 'events.poll', { topics: ['mempool'] })).rejects.toMatchObject({
      code: -32602,
    })
  })

  test('log keeps who said it; sleep is bounded', async () => {
    const { id } = await pair()
    await invokeCapability({ kind: 'agent', pairingId: id }, 'log', { message: 'hello' })
    await invokeCapability({ kind: 'script', scriptId: 's1', name: 'report' }, 'log', { message: 'x', level: 'warn' })
    const [second, first] = await stored.agentLog.get()
    expect(first).toMatchObject({ by: 'agent:bot', message: 'hello', level: 'info' })
    expect(second).toMatchObject({ by: 'script:report', level: 'warn' })
    await expect(invokeCapability({ kind: 'script', scriptId: 's1' }, 'sleep', { ms: -1 })).rejects.toMatchObject({
      code: -32602,
    })
  })
})

describe('a grant as a policy', () => {
  const start = Date.now()
  const send = (eth: string, to = seller) => ({
    requestedBy: 'agent:bot',
    account,
    calls: [{ to, value: parseEther(eth) }],
  })
  const pay = (usdAmount: string) => ({
    requestedBy: 'agent:bot',
    account,
    calls: [
      {
        to: usd,
        value: 0n,
        data: `0xa9059cbb${seller.slice(2).padStart(64, '0')}${parseUnits(usdAmount, 6).toString(16).padStart(64, '0')}` as `0x${string}`,
      },
    ],
  })

  test('within the threshold it runs at once, above it asks, past the budget it is refused', () => {
    const policy = grantPolicy(grant(), start, usd)
    expect(evaluatePolicy(policy, initialPolicyState(), send('0.005')).decision).toBe('allow')
    expect(evaluatePolicy(policy, initialPolicyState(), send('0.05')).decision).toBe('needs-approval')
    const over = evaluatePolicy(policy, initialPolicyState(), send('0.2'))
    expect(over.decision).toBe('deny')
    expect(over.reasons.map((r) => r.code)).toContain('budget')
    expect(evaluatePolicy(policy, initialPolicyState(), pay('0.5')).decision).toBe('allow')
    expect(evaluatePolicy(policy, initialPolicyState(), pay('6')).decision).toBe('deny')
  })

  test('allowed targets: anything else is refused', () => {
    const policy = grantPolicy(grant({ allowedTargets: [seller] }), start, usd)
    expect(evaluatePolicy(policy, initialPolicyState(), send('0.001')).decision).toBe('allow')
    const other = evaluatePolicy(policy, initialPolicyState(), send('0.001', usd))
    expect(other.reasons.map((r) => r.code)).toContain('target-not-allowed')
  })

  test('a token the grant does not count (not ETH, not Seed USD) is refused under the pairing, saying why', async () => {
    const other: Address = '0x00000000000000000000000000000000000000d4'
    const seedUsd = await configuredNetwork()
    const transfer = (token: Address, amount: string) => ({
      ...pay(amount),
      calls: [{ ...pay(amount).calls[0]!, to: token }],
    })
    const pipeline = grantPipeline('p1', grant({ allowedTargets: [other, seedUsd] }), start)
    const refused = await pipeline.reserve('r1', transfer(other, '0.5'))
    expect(refused.decision).toBe('deny')
    expect(refused.reasons.map((r) => r.code)).toEqual(['token-not-in-grant'])
    expect(refused.reasons[0]!.message).toContain('ETH and Seed USD only')
    expect((await pipeline.reserve('r2', transfer(seedUsd, '0.5'))).decision).toBe('allow')
  })
})

describe("the wallet's own policy, within a pairing's grant", () => {
  test("above the wallet's approval threshold the person is asked, as for a dApp, though the grant would allow it", async () => {
    const { openedWindows } = useMemoryExtension()
    const seedUsd = await configuredNetwork()
    const rollupAccount = privateKeyToAccount(generatePrivateKey()).address
    await stored.account.set({
      smartAccount: account,
      owner: account,
      rollupAccount,
      rollup: { chainId: 31_340, inbox: seller },
    })
    await stored.policy.set({ ...DEFAULT_POLICY, approvalAboveUsd: '0.5' })
    const pairing = await pair('shopper', { budgetUsd: '5', approvalAboveUsd: '2' })
    const caller = await resolveCaller({ kind: 'agent', pairingId: pairing.id })
    const authorization = JSON.stringify({
      domain: { name: 'Seed USD', version: '2', chainId: 31_340, verifyingContract: seedUsd },
      types: {
        TransferWithAuthorization: [
          { name: 'from', type: 'address' },
          { name: 'to', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'validAfter', type: 'uint256' },
          { name: 'validBefore', type: 'uint256' },
          { name: 'nonce', type: 'bytes32' },
        ],
      },
      primaryType: 'TransferWithAuthorization',
      message: {
        from: rollupAccount,
        to: seller,
        value: '1000000', // 1 USDS: within the grant's 2, above the wallet's 0.5
        validAfter: '0',
        validBefore: '9999999999',
        nonce: `0x${'11'.repeat(32)}`,
      },
    })
    const answer = actFor(caller, 'eth_signTypedData_v4', [rollupAccount, authorization], 'rollup')
    answer.catch(() => {}) // observed below
    for (let i = 0; i < 200 && !openedWindows.length; i++) await new Promise((r) => setTimeout(r, 5))
    expect(openedWindows).toHaveLength(1)
    const [asked] = (await stored.requests.all()).filter((r) => r.status === 'pending')
    expect(asked?.askedBecause).toMatchObject({ source: 'policy', reasons: [{ code: 'needs-approval' }] })
    await decide(asked!.id, false, executeRequest)
    await expect(answer).rejects.toMatchObject({ code: 4001 })
  })
})
