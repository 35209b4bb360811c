import type { Address } from 'viem'
import { describe, expect, test } from 'vitest'
import { parseTypedDataParam, summarizeTypedData } from './typed-data.ts'

const usd: Address = '0x00000000000000000000000000000000000000C3'
const spender: Address = '0x00000000000000000000000000000000000000b2'

describe('typed data on the approval screen', () => {
  test('a USDS permit is shown as the allowance it grants, with every field', () => {
    const typedData = parseTypedDataParam(
      JSON.stringify({
        domain: { name: 'Seed USD', version: '2', chainId: 31337, verifyingContract: usd },
        types: {
          Permit: [
            { name: 'spender', type: 'address' },
            { name: 'value', type: 'uint256' },
          ],
        },
        primaryType: 'Permit',
        message: { spender, value: '2500000' },
      }),
    )
    const summary = summarizeTypedData(typedData, (token) =>
      token === usd ? { symbol: 'USDS', decimals: 6 } : undefined,
    )
    expect(summary).toMatchObject({
      primaryType: 'Permit',
      contract: 'USDS token',
      domain: { name: 'Seed USD', version: '2', chainId: 31337 },
      fields: [
        { name: 'spender', value: spender },
        { name: 'value', value: '2500000' },
      ],
    })
    expect(summary.spend).toBe(`Lets ${spender} spend up to 2.5 USDS of this account's tokens (EIP-2612 permit).`)
  })

  test('an EIP-3009 transfer authorisation is shown as the transfer it is', () => {
    const summary = summarizeTypedData(
      {
        domain: { verifyingContract: usd },
        types: {
          TransferWithAuthorization: [
            { name: 'to', type: 'address' },
            { name: 'value', type: 'uint256' },
          ],
        },
        primaryType: 'TransferWithAuthorization',
        message: { to: spender, value: '1000000' },
      },
      () => ({ symbol: 'USDS', decimals: 6 }),
    )
    expect(summary.spend).toBe(`Moves 1 USDS to ${spender} (EIP-3009 authorisation).`)
  })

  test('nested structs are flattened; unknown types have no spend line', () => {
    const summary = summarizeTypedData(
      {
        types: { Mail: [{ name: 'from', type: 'Person' }], Person: [{ name: 'name', type: 'string' }] },
        primaryType: 'Mail',
        message: { from: { name: 'Ada' } },
      },
      () => undefined,
    )
    expect(summary.fields).toEqual([{ name: 'from.name', value: 'Ada' }])
    expect(summary.spend).toBeUndefined()
  })

  test('malformed payloads are invalid params', () => {
    expect(() => parseTypedDataParam('{nope')).toThrow(/not valid JSON/)
    expect(() => parseTypedDataParam({ primaryType: 'X' })).toThrow(/expected/)
  })
})
