import { type Address, getAddress, parseEther } from 'viem'
import { beforeEach, describe, expect, test } from 'vitest'
import { ErrorCode } from '../../core/errors.ts'
import type { GrantRecord } from '../../core/records.ts'
import { useMemoryExtension } from '../../test-support/memory-extension.ts'
import { parseGrantRequest, revokeContextOf } from './grant-request.ts'
import { grantContext, grantForUse, permissionsCapability, putGrant } from './grants.ts'
import { sessionScopeOf } from './session-scope.ts'

const NOW = 1_800_000_000
const account: Address = '0x00000000000000000000000000000000000000a1'
const shop: Address = getAddress('0x00000000000000000000000000000000000000b2')
const token: Address = getAddress('0x00000000000000000000000000000000000000c3')
const origin = 'http://dapp.test'

/** What viem's erc7715Actions().grantPermissions sends (custom types pass their data through). */
const viemRequest = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  expiry: NOW + 3600,
  permissions: [{ type: 'native-token-periodic', data, policies: [], required: false }],
  ...extra,
})
const native = { periodAmount: '0x2386f26fc10000', periodDuration: 3600, targets: [shop] }

const refused = (run: () => unknown, message: string | RegExp) => {
  try {
    run()
  } catch (error) {
    expect(error).toMatchObject({ code: ErrorCode.invalidParams, message: expect.stringMatching(message) })
    return
  }
  throw new Error('expected a refusal')
}

describe('ERC-7715 requests', () => {
  test("viem's wallet_grantPermissions: one grant for its permissions, with the gas-limit policy as the budget", () => {
    const parsed = parseGrantRequest(
      'wallet_grantPermissions',
      [
        {
          expiry: NOW + 60,
          permissions: [
            { type: 'native-token-periodic', data: native, policies: [{ type: 'gas-limit', data: { limit: '0x10' } }] },
            {
              type: 'erc20-token-periodic',
              data: { tokenAddress: token, periodAmount: '0x4c4b40', periodDuration: 3600 },
              policies: [],
            },
          ],
        },
      ],
      NOW,
    )
    expect(parsed.grants).toHaveLength(1)
    expect(parsed.grants[0]).toMatchObject({ period: 3600, startTime: NOW, expiry: NOW + 60, gasBudget: '16' })
    expect(parsed.grants[0]!.permissions).toEqual([
      { type: 'native-token-periodic', amount: parseEther('0.01').toString(), targets: [shop] },
      { type: 'erc20-token-periodic', tokenAddress: token, amount: '5000000' },
    ])
  })

  test('the draft wallet_requestExecutionPermissions: one grant per entry, expiry from its rule', () => {
    const entry = (timestamp: number) => ({
      chainId: '0x7a69',
      signer: { type: 'wallet', data: {} },
      permission: { type: 'native-token-periodic', isAdjustmentAllowed: false, data: native },
      rules: [{ type: 'expiry', isAdjustmentAllowed: false, data: { timestamp } }],
    })
    const parsed = parseGrantRequest('wallet_requestExecutionPermissions', [entry(NOW + 10), entry(NOW + 20)], NOW)
    expect(parsed.chainId).toBe(31337)
    expect(parsed.grants.map((g) => g.expiry)).toEqual([NOW + 10, NOW + 20])
    refused(
      () => parseGrantRequest('wallet_requestExecutionPermissions', [{ ...entry(NOW + 10), rules: [] }], NOW),
      /needs an expiry rule/,
    )
    refused(
      () =>
        parseGrantRequest(
          'wallet_requestExecutionPermissions',
          [{ ...entry(NOW + 10), rules: [{ type: 'rate-limit', data: {} }] }],
          NOW,
        ),
      /rules\[0\].type must be one of: expiry/,
    )
  })

  test('what the account cannot enforce is refused with -32602 and what to send instead', () => {
    const grant = (request: unknown) => () => parseGrantRequest('wallet_grantPermissions', [request], NOW)
    refused(
      grant({ ...viemRequest(native), permissions: [{ type: 'native-token-transfer', data: {}, policies: [] }] }),
      /not supported; Seed grants native-token-periodic, erc20-token-periodic, native-token-allowance/,
    )
    refused(grant(viemRequest({ ...native, targets: [] })), /targets must list/)
    refused(grant(viemRequest({ ...native, periodAmount: '1e18' })), /periodAmount must be a hex amount/)
    refused(grant(viemRequest({ ...native, periodAmount: '0x0' })), /above 0/)
    refused(grant(viemRequest({ ...native, periodDuration: 0 })), /periodDuration/)
    refused(grant(viemRequest(native, { expiry: NOW })), /in the future/)
    refused(grant(viemRequest(native, { expiry: NOW * 1000 })), /not milliseconds/)
    refused(grant(viemRequest(native, { signer: { type: 'account', data: { id: shop } } })), /wallet-managed/)
    refused(grant(viemRequest(native, { signer: { type: 'keys', data: { ids: [] } } })), /wallet-managed/)
    refused(
      grant({
        ...viemRequest(native),
        permissions: [{ type: 'native-token-periodic', data: native, policies: [{ type: 'rate-limit', data: {} }] }],
      }),
      /only "gas-limit"/,
    )
    refused(grant({ ...viemRequest(native), permissions: Array(5).fill(viemRequest(native).permissions[0]) }), /1 to 4/)
    refused(grant(viemRequest({ ...native, junk: 'x'.repeat(20_000) })), /over 16 KiB/)
    refused(() => revokeContextOf([{}]), /permissionContext/)
  })

  test('native-token-allowance and erc20-token-allowance: one amount for the whole grant (period 0 on-chain)', () => {
    const parsed = parseGrantRequest(
      'wallet_requestExecutionPermissions',
      [
        {
          chainId: '0x7a69',
          permission: {
            type: 'erc20-token-allowance',
            isAdjustmentAllowed: false,
            data: { tokenAddress: token, allowanceAmount: '0x64' },
          },
          rules: [{ type: 'expiry', isAdjustmentAllowed: false, data: { timestamp: NOW + 10 } }],
        },
      ],
      NOW,
    )
    expect(parsed.grants[0]).toMatchObject({
      period: 0,
      permissions: [{ type: 'erc20-token-allowance', tokenAddress: token, amount: '100' }],
    })
    refused(
      () =>
        parseGrantRequest(
          'wallet_grantPermissions',
          [
            {
              expiry: NOW + 60,
              permissions: [
                { type: 'native-token-allowance', data: { allowanceAmount: '0x1', targets: [shop] }, policies: [] },
                {
                  type: 'erc20-token-periodic',
                  data: { tokenAddress: token, periodAmount: '0x1', periodDuration: 60 },
                  policies: [],
                },
              ],
            },
          ],
          NOW,
        ),
      /share one periodDuration/,
    )
  })

  test('a grant becomes a session scope: targets paid in plain ETH, the token only by transfer, a start in the past is none', () => {
    const scope = sessionScopeOf(
      {
        permissions: [
          { type: 'native-token-periodic', amount: '100', targets: [shop] },
          { type: 'erc20-token-periodic', tokenAddress: token, amount: '7', symbol: 'T', decimals: 6 },
        ],
        period: 60,
        startTime: NOW - 5,
        expiry: NOW + 60,
        gasBudget: 9n,
      },
      NOW,
    )
    expect(scope).toEqual({
      permissions: [
        { target: shop, selector: '0x00000000' },
        { target: token, selector: 'transfer(address,uint256)' },
      ],
      valueLimit: 100n,
      tokenLimits: [{ token, limit: 7n }],
      gasBudget: 9n,
      period: 60,
      validAfter: 0,
      validUntil: NOW + 60,
    })
  })
})

describe('using a grant (attacks)', () => {
  const sessionKey: Address = '0x00000000000000000000000000000000000000d4'
  const context = grantContext(account, sessionKey)
  const record: GrantRecord = {
    context,
    origin,
    chainId: 31337,
    account,
    sessionKey,
    sealedKey: { iv: '0x00', data: '0x00' },
    permissions: [{ type: 'native-token-periodic', amount: '100', targets: [shop] }],
    gasBudget: '1',
    period: 60,
    startTime: NOW,
    expiry: NOW + 60,
    status: 'active',
    grantedAt: 0,
  }
  beforeEach(async () => {
    useMemoryExtension()
    await putGrant(record)
  })

  test('the granted origin gets its grant, whatever the case of the context', async () => {
    expect(await grantForUse(origin, context.toUpperCase().replace('0X', '0x'), NOW)).toMatchObject({ sessionKey })
  })

  test("another origin with this origin's context gets 4100, the same answer as for no grant", async () => {
    await expect(grantForUse('http://evil.test', context, NOW)).rejects.toMatchObject({
      code: ErrorCode.unauthorized,
      message: expect.stringContaining('Unknown permission context'),
    })
  })

  test('a forged context (another key on the same account) is unknown', async () => {
    const forged = grantContext(account, '0x00000000000000000000000000000000000000e5')
    await expect(grantForUse(origin, forged, NOW)).rejects.toMatchObject({ code: ErrorCode.unauthorized })
    await expect(grantForUse(origin, 'not hex', NOW)).rejects.toMatchObject({ code: ErrorCode.invalidParams })
  })

  test('an expired or revoked grant is refused', async () => {
    await expect(grantForUse(origin, context, NOW + 60)).rejects.toMatchObject({
      code: ErrorCode.unauthorized,
      message: expect.stringContaining('expired'),
    })
    await putGrant({ ...record, status: 'revoked' })
    await expect(grantForUse(origin, context, NOW)).rejects.toMatchObject({ code: ErrorCode.unauthorized })
  })

  test('the permissions capability of a wallet_sendCalls bundle', () => {
    expect(permissionsCapability({ calls: [] })).toBeUndefined()
    expect(permissionsCapability({ capabilities: { permissions: { context } } })).toEqual({ context })
    expect(() => permissionsCapability({ capabilities: { permissions: 'x' } })).toThrow(/context/)
  })
})
