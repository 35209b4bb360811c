/** A verifier's signed answers: what the prober recovers, and the windows it refuses to read. */
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import { toWireJson } from './replicaAnswer.ts'
import {
  parseSignedVerifyAnswer,
  parseVerifyProbeRequest,
  recoverVerifyAnswerSigner,
  signVerifyAnswer,
} from './verifyAnswer.ts'

const key = privateKeyToAccount(generatePrivateKey())
const domain = { chainId: 31_337n, escrow: '0x00000000000000000000000000000000000e5c40' } as const
const request = { bountyId: 3n, agentId: 7n, challenge: `0x${'ab'.repeat(32)}`, fromBatch: 4n, toBatch: 5n } as const

test('derived roots survive the wire and recover to the operator key; another root recovers to another', async () => {
  const signed = await signVerifyAnswer(key, domain, {
    ...request,
    outputRoots: [`0x${'01'.repeat(32)}`, `0x${'02'.repeat(32)}`],
  })
  const wire = parseSignedVerifyAnswer(JSON.parse(toWireJson(signed)))
  expect(wire).toEqual(signed)
  expect(await recoverVerifyAnswerSigner(domain, wire!)).toBe(key.address)
  const echoed = { ...wire!, outputRoots: [`0x${'01'.repeat(32)}`, `0x${'03'.repeat(32)}`] as const }
  expect(await recoverVerifyAnswerSigner(domain, echoed)).not.toBe(key.address)
})

test('windows that are empty, reversed or too large, and answers of the wrong length, are refused', () => {
  const ok = { ...request, bountyId: '3', agentId: '7', fromBatch: '4', toBatch: '5' }
  expect(parseVerifyProbeRequest(ok)).toEqual(request)
  for (const bad of [
    null,
    { ...ok, toBatch: '3' },
    { ...ok, fromBatch: '0', toBatch: '1000' },
    { ...ok, challenge: '0x' },
  ]) {
    expect(parseVerifyProbeRequest(bad)).toBeUndefined()
  }
  const signature = `0x${'11'.repeat(65)}`
  expect(parseSignedVerifyAnswer({ ...ok, outputRoots: [`0x${'01'.repeat(32)}`], signature })).toBeUndefined()
  expect(parseSignedVerifyAnswer({ ...ok, outputRoots: ['0x01', '0x02'], signature })).toBeUndefined()
})
