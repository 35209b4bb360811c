/** The operator's signed answers: what the prober recovers, and what it refuses to read. */
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import {
  parseProbeRequest,
  parseSignedReplicaAnswer,
  recoverReplicaAnswerSigner,
  signReplicaAnswer,
  toWireJson,
} from './replicaAnswer.ts'

const key = privateKeyToAccount(generatePrivateKey())
const domain = { chainId: 4_200_000_001n, escrow: '0x00000000000000000000000000000000000e5c40' } as const
const answer = {
  bountyId: 3n,
  agentId: 7n,
  challenge: `0x${'ab'.repeat(32)}`,
  number: 41n,
  head: 42n,
  blockHash: `0x${'01'.repeat(32)}`,
  stateRoot: `0x${'02'.repeat(32)}`,
} as const

test('a signed answer survives the wire and recovers to the operator key; any change recovers to another', async () => {
  const signed = await signReplicaAnswer(key, domain, answer)
  const wire = parseSignedReplicaAnswer(JSON.parse(toWireJson(signed)))
  expect(wire).toEqual(signed)
  expect(await recoverReplicaAnswerSigner(domain, wire!)).toBe(key.address)
  const lied = { ...wire!, stateRoot: `0x${'03'.repeat(32)}` as const }
  expect(await recoverReplicaAnswerSigner(domain, lied)).not.toBe(key.address)
  // Another chain or escrow: the same signature names someone else.
  expect(await recoverReplicaAnswerSigner({ ...domain, chainId: 1n }, wire!)).not.toBe(key.address)
})

test('malformed requests and answers are refused, not thrown', () => {
  const ok = { bountyId: '3', agentId: '7', number: '0x29', challenge: answer.challenge }
  expect(parseProbeRequest(ok)).toEqual({ bountyId: 3n, agentId: 7n, number: 41n, challenge: answer.challenge })
  for (const bad of [
    null,
    'x',
    { ...ok, challenge: '0x12' },
    { ...ok, number: -1 },
    { ...ok, number: '1e3' },
    { ...ok, bountyId: '9'.repeat(100) },
    { ...ok, agentId: undefined },
  ]) {
    expect(parseProbeRequest(bad)).toBeUndefined()
  }
  expect(
    parseSignedReplicaAnswer({ ...ok, head: '1', blockHash: answer.blockHash, stateRoot: '0x', signature: '0x' }),
  ).toBeUndefined()
  expect(
    parseSignedReplicaAnswer({
      ...ok,
      head: '1',
      blockHash: answer.blockHash,
      stateRoot: answer.stateRoot,
      signature: `0x${'0'.repeat(5000)}`,
    }),
  ).toBeUndefined()
})
