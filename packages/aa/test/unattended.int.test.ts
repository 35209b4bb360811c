import { encodeFunctionData, erc20Abi, parseEther, parseUnits } from 'viem'
import { describe, expect, test } from 'vitest'
import { executeCalls } from '../src/account/sendCalls.ts'
import { ETH_TRANSFER_SELECTOR, grantSessionKey } from '../src/account/sessionKeys.ts'
import { ApprovalRequiredError, createGuard, PolicyDeniedError } from '../src/policy/guard.ts'
import { guardedExecuteCalls } from '../src/policy/guardedSendCalls.ts'
import { guardedSignMessage, guardedSignTypedData } from '../src/policy/guardedSign.ts'
import { createMemoryStorage } from '../src/storage.ts'
import { createVault } from '../src/vault/vault.ts'
import { fundEth, fundUsd, manifest, newAgent, publicClient, randomAddress, usdBalance } from './fixtures.ts'
import { transferWithAuthorization } from './usd-typed-data.ts'

const PASSWORD = 'agent vault passphrase'

describe('an unattended agent: vault keys, session key, guardrails', () => {
  test('the guard refuses before anything is signed; allowed actions go through the session key', async () => {
    const storage = createMemoryStorage()
    const ownerVault = createVault(storage, { name: 'owner' })
    const sessionVault = createVault(storage, { name: 'session' })
    const ownerKey = await ownerVault.create({ password: PASSWORD })
    const sessionKey = await sessionVault.create({ password: PASSWORD, kind: 'privateKey' })

    const owner = await newAgent({ owner: ownerKey })
    await fundEth(owner.address, parseEther('1'))
    await fundUsd(owner.address, parseUnits('50', 6))
    const shop = randomAddress()
    await grantSessionKey(owner, {
      sessionKey: sessionKey.address,
      gasBudget: parseEther('0.2'),
      permissions: [
        { target: manifest.contracts.usd, selector: 'transfer(address,uint256)' },
        { target: shop, selector: ETH_TRANSFER_SELECTOR },
      ],
      tokenLimits: [{ token: manifest.contracts.usd, limit: parseUnits('20', 6) }],
      valueLimit: parseEther('0.01'),
      period: 86_400,
    })
    ownerVault.lock() // the owner key goes back to sleep; the agent only holds the session key

    const agent = await newAgent({
      sessionKey: sessionVault.account(),
      ownerAddress: ownerKey.address,
      address: owner.address,
    })
    const usd = manifest.contracts.usd.toLowerCase()
    const guard = createGuard({
      storage,
      policy: {
        allowTargets: [manifest.contracts.usd, shop],
        perTxCap: { [usd]: parseUnits('10', 6) },
        approvalAbove: { [usd]: parseUnits('5', 6) },
      },
    })
    const pay = (amount: bigint) => ({
      to: manifest.contracts.usd,
      data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [shop, amount] }),
    })

    const ok = await guardedExecuteCalls(agent, guard, {
      requestedBy: 'task:buy-compute',
      calls: [pay(parseUnits('2', 6))],
    })
    expect(ok.success).toBe(true)
    expect(await usdBalance(shop)).toBe(parseUnits('2', 6))

    const tooBig = await guardedExecuteCalls(agent, guard, {
      requestedBy: 'task:buy-compute',
      calls: [pay(parseUnits('11', 6))],
    }).catch((e) => e)
    expect(tooBig).toBeInstanceOf(PolicyDeniedError)
    const stranger = await guardedExecuteCalls(agent, guard, {
      requestedBy: 'task:x',
      calls: [{ to: randomAddress(), value: 1n }],
    }).catch((e) => e)
    expect(stranger).toBeInstanceOf(PolicyDeniedError)

    const big = await guardedExecuteCalls(agent, guard, {
      requestedBy: 'task:buy-gpu',
      calls: [pay(parseUnits('7', 6))],
    }).catch((e) => e)
    expect(big).toBeInstanceOf(ApprovalRequiredError)
    expect(await usdBalance(shop)).toBe(parseUnits('2', 6))
    await guard.resolveApproval(big.approvalId, { approved: true, by: 'human:owner' })
    await guardedExecuteCalls(agent, guard, {
      requestedBy: 'task:buy-gpu',
      calls: [pay(parseUnits('7', 6))],
      approvalId: big.approvalId,
    })
    expect(await usdBalance(shop)).toBe(parseUnits('9', 6))

    const log = await guard.auditLog()
    expect(log.filter((e) => e.event === 'executed')).toHaveLength(2)
    expect(log.filter((e) => e.decision === 'deny').map((e) => e.reasons?.[0]?.code)).toEqual([
      'per-tx-cap',
      'target-not-allowed',
    ])

    // Even if the guard is bypassed, the on-chain session limit (20 USDS) still holds: 9 spent, 12 more is refused.
    await expect(executeCalls(agent, { calls: [pay(parseUnits('12', 6))] })).rejects.toThrow()
    expect(await usdBalance(shop)).toBe(parseUnits('9', 6))
    expect(await publicClient.getBalance({ address: shop })).toBe(0n)
  })

  test('signatures pass the guard too: an EIP-3009 authorisation over the cap is refused before signing', async () => {
    const owner = await newAgent()
    const usd = manifest.contracts.usd.toLowerCase()
    const guard = createGuard({ storage: createMemoryStorage(), policy: { perTxCap: { [usd]: parseUnits('1', 6) } } })
    const authorization = (value: bigint) =>
      transferWithAuthorization(manifest.contracts.usd, {
        from: owner.address,
        to: randomAddress(),
        value,
        validAfter: 0n,
        validBefore: 2n ** 40n,
        nonce: `0x${'11'.repeat(32)}`,
      })
    const small = authorization(parseUnits('0.5', 6))
    const signature = await guardedSignTypedData(owner, guard, {
      typedData: small as never,
      requestedBy: 'x402:api.example',
    })
    expect(await publicClient.verifyTypedData({ address: owner.address, signature, ...small })).toBe(true)
    await expect(
      guardedSignTypedData(owner, guard, {
        typedData: authorization(parseUnits('2', 6)) as never,
        requestedBy: 'x402:api.example',
      }),
    ).rejects.toBeInstanceOf(PolicyDeniedError)
    await expect(guardedSignMessage(owner, guard, { message: 'login', requestedBy: 'dapp' })).rejects.toBeInstanceOf(
      PolicyDeniedError,
    )
    const log = await guard.auditLog()
    expect(log.filter((e) => e.event === 'check').map((e) => [e.note, e.decision])).toEqual([
      ['sign TransferWithAuthorization', 'allow'],
      ['sign TransferWithAuthorization', 'deny'],
      ['sign message', 'deny'],
    ])
  })
})
