/** Bridge amounts from people and agents: decimal strings in, base units out; anything else is -32602. */
import { describe, expect, test } from 'vitest'
import { ErrorCode } from '../../core/errors.ts'
import { formatAmount, parseTransfer } from './amounts.ts'

describe('parseTransfer', () => {
  test('ether and dollars to base units', () => {
    expect(parseTransfer({ asset: 'eth', amount: '0.5' }, 'bridge.deposit')).toEqual({
      asset: 'eth',
      amount: 5n * 10n ** 17n,
    })
    expect(parseTransfer({ asset: 'usd', amount: '20.25' }, 'bridge.deposit')).toEqual({
      asset: 'usd',
      amount: 20_250_000n,
    })
    expect(formatAmount('usd', 20_250_000n)).toBe('20.25')
  })

  test.each([
    [{ asset: 'dai', amount: '1' }, /asset/],
    [{ asset: 'eth', amount: '-1' }, /decimal/],
    [{ asset: 'eth', amount: '1e18' }, /decimal/],
    [{ asset: 'eth', amount: 1 }, /decimal/],
    [{ asset: 'eth', amount: '0' }, /above zero/],
    [{ asset: 'usd', amount: '0.0000001' }, /6 decimals/],
    [undefined, /asset/],
  ])('%j is refused with -32602', (params, message) => {
    let error: unknown
    try {
      parseTransfer(params, 'bridge.withdraw')
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ code: ErrorCode.invalidParams })
    expect((error as Error).message).toMatch(message)
  })
})
