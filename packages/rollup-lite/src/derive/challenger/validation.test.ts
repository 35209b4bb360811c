/** Validation requests are read from strangers' transactions: anything but a well-formed, hash-bound request is refused. */
import { keccak256, stringToHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { outputsValidationRequest, parseOutputsValidationRequest } from './validation.ts'

const inbox = '0x1111111111111111111111111111111111111111'
const uriOf = (json: string) => `data:application/json;base64,${btoa(json)}`
const hashOf = (json: string) => keccak256(stringToHex(json))

describe('outputs validation requests', () => {
  test('a request round-trips through its URI and hash', () => {
    const { requestURI, requestHash } = outputsValidationRequest({ inbox, fromBatch: 3n, toBatch: 9n })
    expect(parseOutputsValidationRequest(requestURI, requestHash)).toEqual({ inbox, fromBatch: 3n, toBatch: 9n })
  })

  test('naming the verifier makes the same range two requests, each still readable', () => {
    const range = { inbox: inbox as `0x${string}`, fromBatch: 3n, toBatch: 9n }
    const a = outputsValidationRequest({ ...range, validator: '0x2222222222222222222222222222222222222222' })
    const b = outputsValidationRequest({ ...range, validator: '0x3333333333333333333333333333333333333333' })
    expect(a.requestHash).not.toBe(b.requestHash)
    expect(parseOutputsValidationRequest(a.requestURI, a.requestHash)).toEqual(range)
    expect(parseOutputsValidationRequest(b.requestURI, b.requestHash)).toEqual(range)
  })

  test('bad requests are refused with a reason', () => {
    const { requestURI, requestHash } = outputsValidationRequest({ inbox, fromBatch: 0n, toBatch: 1n })
    const json = (o: object) => JSON.stringify({ type: 'seed-rollup-outputs-v1', inbox, ...o })
    const cases: [string, string, RegExp][] = [
      ['ipfs://bafy', requestHash, /not an inline JSON request/],
      [requestURI, keccak256('0x01'), /does not hash/],
      [`${requestURI}%%%`, requestHash, /not base64/],
      [uriOf('{'), hashOf('{'), /not JSON/],
      [uriOf(json({ type: 'other' })), hashOf(json({ type: 'other' })), /not a seed-rollup-outputs-v1 request/],
      ...[{ inbox: 'nope' }].map((o): [string, string, RegExp] => [uriOf(json(o)), hashOf(json(o)), /bad inbox/]),
      ...[
        { fromBatch: '2', toBatch: '1' },
        { fromBatch: '-1', toBatch: '1' },
        { fromBatch: '1e3', toBatch: '2000' },
      ].map((o): [string, string, RegExp] => [uriOf(json(o)), hashOf(json(o)), /bad batch range/]),
      [uriOf('x'.repeat(5000)), hashOf('x'.repeat(5000)), /larger than/],
    ]
    for (const [uri, hash, reason] of cases) {
      expect(parseOutputsValidationRequest(uri, hash as `0x${string}`)).toMatch(reason)
    }
  })
})
