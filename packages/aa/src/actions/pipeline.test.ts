import { type Address, encodeFunctionData, erc20Abi, parseEther } from 'viem'
import { describe, expect, test } from 'vitest'
import { accountExecuteAbi } from '../policy/decodeSpend.ts'
import { evaluatePolicy } from '../policy/evaluatePolicy.ts'
import { typedDataAction } from '../policy/typedDataSignature.ts'
import { type Action, initialPolicyState, type Policy } from '../policy/types.ts'
import { createMemoryStorage } from '../storage.ts'
import { createActionPipeline } from './createActionPipeline.ts'
import { ActionRejectedError, PolicyDeniedError } from './errors.ts'
import { createMemoryLock } from './lock.ts'

const account = '0x00000000000000000000000000000000000000aa' as Address
const shop = '0x0000000000000000000000000000000000005409' as Address
const token = '0x000000000000000000000000000000000000700c' as Address
const entryPoint = '0x0000000071727de22e5e9d8baf0edac6f37da032' as Address
const DAY = 86_400
const HOUR = 3_600_000

const act = (calls: Action['calls'], extra: Partial<Action> = {}): Action => ({
  requestedBy: 'test',
  account,
  calls,
  ...extra,
})
const pay = (eth: string) => act([{ to: shop, value: parseEther(eth) }])
const codes = (v: { reasons: { code: string }[] }) => v.reasons.map((r) => r.code)
const policy: Policy = {
  perTxCap: { eth: parseEther('1') },
  budgets: [{ asset: 'eth', limit: parseEther('2'), periodSeconds: DAY }],
}

function clock(start = 1_000_000_000) {
  let t = start
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

describe('action pipeline', () => {
  test('two concurrent actions against one budget: exactly one fits, the other is refused', async () => {
    const pipeline = createActionPipeline({ storage: createMemoryStorage(), policy })
    const run = (id: string) =>
      pipeline.run({ id, action: pay('1'), execute: async () => new Promise((r) => setTimeout(() => r(id), 20)) })
    await pipeline.run({ id: 'earlier', action: pay('0.5'), execute: async () => 'ok' })
    const results = await Promise.allSettled([run('a'), run('b')])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason).toBeInstanceOf(PolicyDeniedError)
    expect(codes(refused.reason.verdict)).toEqual(['budget'])
  })

  test('a failed or rejected action releases exactly its reservation; settled spends stay in the log', async () => {
    const pipeline = createActionPipeline({
      storage: createMemoryStorage(),
      policy: { ...policy, approvalAbove: { eth: parseEther('0.6') } },
    })
    expect(await pipeline.reserve('in-flight', pay('0.3'))).toEqual({ decision: 'allow', reasons: [] })
    await pipeline.run({ id: 'done', action: pay('0.2'), execute: async () => 'ok' })
    await expect(
      pipeline.run({
        id: 'fails',
        action: pay('0.4'),
        execute: async () => {
          throw new Error('bundler said no')
        },
      }),
    ).rejects.toThrow('bundler said no')
    await expect(
      pipeline.run({ id: 'rejected', action: pay('0.9'), approve: async () => false, execute: async () => 'never' }),
    ).rejects.toBeInstanceOf(ActionRejectedError)
    const { ledger } = await pipeline.state()
    expect(ledger.map((e) => [e.id, e.status, e.amounts.eth])).toEqual([
      ['in-flight', 'reserved', parseEther('0.3').toString()],
      ['done', 'settled', parseEther('0.2').toString()],
    ])
    await pipeline.release('done') // a settled spend is never released
    await pipeline.release('in-flight')
    expect((await pipeline.state()).ledger.map((e) => e.id)).toEqual(['done'])
  })

  test('a reservation and its journal survive a restart: the action resumes from its step, counted once', async () => {
    const storage = createMemoryStorage()
    const first = createActionPipeline({ storage, policy })
    let crashed = false
    await expect(
      first.run({
        id: 'op-1',
        action: pay('0.7'),
        execute: async ({ journal }) => {
          await journal({ signed: '0xsigned' })
          crashed = true
          throw Object.assign(new Error('worker killed'), { restart: true })
        },
      }),
    ).rejects.toThrow('worker killed')
    expect(crashed).toBe(true)
    // A process that dies mid-way never reaches the catch; simulate that with a run that never settles.
    const hung = createActionPipeline({ storage, policy })
    let resolveHung: (() => void) | undefined
    void hung.run({
      id: 'op-2',
      action: pay('0.7'),
      execute: async ({ journal }) => {
        await journal({ signed: '0xop2' })
        return new Promise<void>((r) => (resolveHung = r))
      },
    })
    await new Promise((r) => setTimeout(r, 10))
    // The restarted instance sees the reservation and the journaled step.
    const restarted = createActionPipeline({ storage, policy })
    expect(await restarted.reservations()).toEqual(['op-2'])
    let resumedFrom: unknown
    await restarted.run({
      id: 'op-2',
      action: pay('0.7'),
      approve: async () => {
        throw new Error('already approved: must not ask again')
      },
      execute: async ({ step }) => {
        resumedFrom = step
        return 'landed'
      },
    })
    expect(resumedFrom).toEqual({ signed: '0xop2' })
    expect((await restarted.state()).ledger.map((e) => [e.id, e.status])).toEqual([['op-2', 'settled']])
    resolveHung?.()
  })

  test('two pipelines over one storage (two contexts) never act on a stale copy of the ledger', async () => {
    const storage = createMemoryStorage()
    const lock = createMemoryLock() // one lock shared, like a Web Lock across extension contexts
    const worker = createActionPipeline({ storage, lock, policy })
    const page = createActionPipeline({ storage, lock, policy })
    expect((await worker.reserve('a', pay('1'))).decision).toBe('allow')
    expect((await page.reserve('b', pay('1'))).decision).toBe('allow')
    expect(codes(await worker.reserve('c', pay('0.1')))).toEqual(['budget'])
    await page.release('b')
    expect((await worker.reserve('c', pay('0.1'))).decision).toBe('allow')
  })

  test('budgets roll over 24 h (no fixed window to double at the boundary)', async () => {
    const time = clock()
    const pipeline = createActionPipeline({ storage: createMemoryStorage(), policy, now: time.now })
    await pipeline.run({ id: '1', action: pay('1'), execute: async () => 1 })
    time.advance(23 * HOUR)
    await pipeline.run({ id: '2', action: pay('1'), execute: async () => 2 })
    expect(codes(await pipeline.verdict(pay('0.1')))).toEqual(['budget'])
    time.advance(2 * HOUR) // the first spend left the window: its 1 ETH is free again, the second's is not
    await pipeline.run({ id: '3', action: pay('1'), execute: async () => 3 })
    // A fixed window opened at the first spend would have reset at 24 h and allow 2 more ETH here.
    expect(codes(await pipeline.verdict(pay('0.1')))).toEqual(['budget'])
    time.advance(22 * HOUR)
    expect((await pipeline.verdict(pay('1'))).decision).toBe('allow')
  })

  test('the maximum fee is reserved against the ETH budget, then settled at the actual cost', async () => {
    const fee = { gas: 1_000_000n, maxFeePerGas: parseEther('0.000001') } // max fee 1 ETH
    const pipeline = createActionPipeline({ storage: createMemoryStorage(), policy })
    expect(codes(await pipeline.verdict({ ...pay('1'), fee: { ...fee, gas: fee.gas * 2n } }))).toEqual(['budget'])
    await pipeline.run({
      id: 'with-fee',
      action: { ...pay('0.5'), fee },
      execute: async () => ({ paid: parseEther('0.01') }),
      actual: ({ paid }) => ({ ...pay('0.5'), feePaid: paid }),
    })
    const [entry] = (await pipeline.state()).ledger
    expect([entry!.amounts.eth, entry!.fee]).toEqual([parseEther('0.5').toString(), parseEther('0.01').toString()])
    expect((await pipeline.spent(DAY)).get('fee')).toBe(parseEther('0.01'))
  })

  test('fees above the caps are refused', () => {
    const capped: Policy = { feeCaps: { maxGas: 5_000_000n, maxFeePerGas: 100_000_000_000n } }
    const state = initialPolicyState()
    const ok = { gas: 500_000n, maxFeePerGas: 2_000_000_000n }
    expect(evaluatePolicy(capped, state, { ...pay('0.1'), fee: ok }).decision).toBe('allow')
    expect(codes(evaluatePolicy(capped, state, { ...pay('0.1'), fee: { ...ok, gas: 50_000_000n } }))).toEqual([
      'fee-cap',
    ])
    expect(codes(evaluatePolicy(capped, state, { ...pay('0.1'), fee: { ...ok, maxFeePerGas: 10n ** 12n } }))).toEqual([
      'fee-cap',
    ])
  })
})

describe('the policy sees through the account', () => {
  const state = initialPolicyState()
  const batch = (calls: { target: Address; value: bigint; data: `0x${string}` }[]) => ({
    to: account,
    data: encodeFunctionData({ abi: accountExecuteAbi, functionName: 'executeBatch', args: [calls] }),
  })

  test('2.5 ETH wrapped in executeBatch to the account is counted against a 1 ETH cap', () => {
    const wrapped = batch([
      { target: shop, value: parseEther('1.5'), data: '0x' },
      { target: shop, value: parseEther('1'), data: '0x' },
    ])
    expect(codes(evaluatePolicy(policy, state, act([wrapped])))).toContain('per-tx-cap')
    const nested = {
      to: account,
      data: encodeFunctionData({
        abi: accountExecuteAbi,
        functionName: 'execute',
        args: [account, 0n, wrapped.data],
      }),
    }
    expect(codes(evaluatePolicy(policy, state, act([nested])))).toContain('per-tx-cap')
    const tokens = batch([
      {
        target: token,
        value: 0n,
        data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [shop, 700n] }),
      },
    ])
    expect(codes(evaluatePolicy({ perTxCap: { [token]: 500n } }, state, act([tokens])))).toEqual(['per-tx-cap'])
    expect(
      codes(evaluatePolicy({ denyTargets: [shop] }, state, act([batch([{ target: shop, value: 1n, data: '0x' }])]))),
    ).toEqual(['target-denied'])
  })

  test('admin selectors on the account are denied unless the wallet itself allows them for that action', () => {
    const transferOwnership = { to: account, data: `0xf2fde38b${shop.slice(2).padStart(64, '0')}` as const }
    expect(codes(evaluatePolicy(policy, state, act([transferOwnership])))).toEqual(['admin-call'])
    expect(
      codes(
        evaluatePolicy(policy, state, act([batch([{ target: account, value: 0n, data: transferOwnership.data }])])),
      ),
    ).toEqual(['admin-call'])
    expect(evaluatePolicy({ ...policy, allowAdminCalls: true }, state, act([transferOwnership])).decision).toBe('allow')
    expect(codes(evaluatePolicy(policy, state, act([{ to: account, data: '0xb61d27f6deadbeef' }])))).toEqual([
      'undecodable-self-call',
    ])
  })
})

describe('signatures the wallet cannot account for', () => {
  const state = initialPolicyState()
  const lenient: Policy = { allowMessageSigning: true, allowSignTypes: ['Login'] }

  test('a 32-byte personal_sign is denied by default, allowed only by its own setting', () => {
    const hash = act([], { signature: { kind: 'message', length: 32 } })
    expect(codes(evaluatePolicy(lenient, state, hash))).toEqual(['hash-signing'])
    expect(evaluatePolicy({ ...lenient, allowHashSigning: true }, state, hash).decision).toBe('allow')
    expect(evaluatePolicy(lenient, state, act([], { signature: { kind: 'message', length: 5 } })).decision).toBe(
      'allow',
    )
  })

  test('Permit2 and unknown value-moving typed data are denied by default; the allowlist lets one type through', () => {
    const permit2 = {
      domain: { name: 'Permit2', chainId: 1, verifyingContract: '0x000000000022D473030F116dDEE9F6B43aC78BA3' },
      types: {
        PermitSingle: [
          { name: 'details', type: 'PermitDetails' },
          { name: 'spender', type: 'address' },
          { name: 'sigDeadline', type: 'uint256' },
        ],
        PermitDetails: [
          { name: 'token', type: 'address' },
          { name: 'amount', type: 'uint160' },
          { name: 'expiration', type: 'uint48' },
          { name: 'nonce', type: 'uint48' },
        ],
      },
      primaryType: 'PermitSingle',
      message: {},
    }
    const action = (t: typeof permit2) => {
      const { calls, signature } = typedDataAction(t, [])
      return act(calls, { signature })
    }
    expect(codes(evaluatePolicy(lenient, state, action(permit2)))).toEqual(['undecoded-spend-signature'])
    expect(
      evaluatePolicy({ ...lenient, allowSpendingSignTypes: ['PermitSingle'] }, state, action(permit2)).decision,
    ).toBe('allow')
    const order = {
      domain: { name: 'Some DEX' },
      types: { Swap: [{ name: 'sellAmount', type: 'uint256' }] },
      primaryType: 'Swap',
      message: {},
    }
    expect(codes(evaluatePolicy({ ...lenient, allowSignTypes: ['Swap'] }, state, action(order as never)))).toEqual([
      'undecoded-spend-signature',
    ])
    const login = {
      domain: { name: 'Site' },
      types: { Login: [{ name: 'nonce', type: 'uint256' }] },
      primaryType: 'Login',
      message: {},
    }
    expect(evaluatePolicy(lenient, state, action(login as never)).decision).toBe('allow')
  })

  test("typed data in the wallet's own domains is never signed for a page", () => {
    const own = (domain: Record<string, unknown>) => {
      const { calls, signature } = typedDataAction(
        { domain, types: { Login: [{ name: 'nonce', type: 'uint256' }] }, primaryType: 'Login', message: {} },
        [account, entryPoint],
      )
      return codes(evaluatePolicy(lenient, state, act(calls, { signature })))
    }
    expect(own({ name: 'SeedAccount' })).toEqual(['protected-domain'])
    expect(own({ name: 'ERC4337' })).toEqual(['protected-domain'])
    expect(own({ name: 'x', verifyingContract: entryPoint.toUpperCase().replace('0X', '0x') })).toEqual([
      'protected-domain',
    ])
    expect(own({ name: 'Site' })).toEqual([])
  })
})
