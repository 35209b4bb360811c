/** The checks every probe makes of an operator's answer before its kind's own: signer, and the echo of this probe. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  parseProbeRequest,
  parseSignedReplicaAnswer,
  recoverReplicaAnswerSigner,
  type SignedReplicaAnswer,
  signReplicaAnswer,
  toWireJson,
} from '../replicaAnswer.ts'
import { askOperator, randomChallenge } from './probeResult.ts'

const operator = privateKeyToAccount(generatePrivateKey())
const stranger = privateKeyToAccount(generatePrivateKey())
const domain = { chainId: 4_200_000_001n, escrow: '0x00000000000000000000000000000000000e5c40' } as const
const kind = {
  name: 'a signed replica answer',
  maxBytes: 16 * 1024,
  parse: parseSignedReplicaAnswer,
  recover: recoverReplicaAnswerSigner,
}
const block = { head: 42n, blockHash: `0x${'01'.repeat(32)}`, stateRoot: `0x${'02'.repeat(32)}` } as const

/** How the test operator answers the next probe, given the request it got. */
let answerWith: (request: NonNullable<ReturnType<typeof parseProbeRequest>>) => Promise<SignedReplicaAnswer>
const server = createServer((req, res) => {
  let body = ''
  req.on('data', (chunk) => {
    body += chunk
  })
  req.on('end', async () => {
    const answer = await answerWith(parseProbeRequest(JSON.parse(body))!)
    res.setHeader('content-type', 'application/json').end(toWireJson(answer))
  })
})
let operatorUrl: string
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  operatorUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

const ask = (number = 41n) =>
  askOperator(
    kind,
    { operatorUrl, operator: operator.address, ...domain },
    { bountyId: 3n, agentId: 7n, challenge: randomChallenge(), number },
  )

test('an answer to this probe, signed by the slot’s key, is taken', async () => {
  answerWith = (request) => signReplicaAnswer(operator, domain, { ...request, ...block })
  const asked = await ask()
  expect(asked).toMatchObject({ answer: { number: 41n, head: 42n } })
})

test('an answer signed by another key is a `signature` miss', async () => {
  answerWith = (request) => signReplicaAnswer(stranger, domain, { ...request, ...block })
  expect(await ask()).toEqual({ passed: false, miss: 'signature', details: `signed by ${stranger.address}` })
})

test('a replayed answer (an earlier challenge) or one about another block is not an answer to this probe', async () => {
  const old = randomChallenge()
  answerWith = (request) => signReplicaAnswer(operator, domain, { ...request, challenge: old, ...block })
  expect(await ask()).toMatchObject({ passed: false, miss: 'signature', details: 'the answer is not for this probe' })
  answerWith = (request) => signReplicaAnswer(operator, domain, { ...request, number: request.number - 1n, ...block })
  expect(await ask()).toMatchObject({ passed: false, miss: 'signature', details: 'the answer is not for this probe' })
})

test('an answer of the wrong shape is a `reachable` miss naming what was expected', async () => {
  answerWith = async () => ({ hello: 'world' }) as unknown as SignedReplicaAnswer
  expect(await ask()).toEqual({
    passed: false,
    miss: 'reachable',
    details: 'the answer is not a signed replica answer',
  })
})
