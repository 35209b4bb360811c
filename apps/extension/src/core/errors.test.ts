import { describe, expect, test } from 'vitest'
import { deserializeError, ErrorCode, ProviderRpcError, serializeError, unauthorized, userRejected } from './errors.ts'

describe('provider errors across hops', () => {
  test('EIP-1193 codes survive serialize → deserialize', () => {
    const back = deserializeError(serializeError(userRejected('transaction')))
    expect(back).toBeInstanceOf(ProviderRpcError)
    expect(back.code).toBe(4001)
    expect(back.message).toBe('User rejected the transaction.')
    expect(deserializeError(serializeError(unauthorized())).code).toBe(ErrorCode.unauthorized)
  })

  test("a chain's own RPC error keeps its code; anything else becomes -32603", () => {
    const rpc = Object.assign(new Error('execution reverted'), { code: 3, shortMessage: 'Execution reverted.' })
    expect(serializeError(rpc)).toMatchObject({ code: 3, message: 'Execution reverted.' })
    expect(serializeError(new TypeError('boom'))).toMatchObject({ code: -32603, message: 'boom' })
    expect(serializeError('plain')).toMatchObject({ code: -32603, message: 'plain' })
  })
})
