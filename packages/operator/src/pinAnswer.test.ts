/** A pinner's signed answers: the CID rule the prober checks bytes against, and what it refuses to read. */
import { rawCidOf } from '@seed/contracts'
import { cidFromHex } from '@seed/rollup-lite/node'
import { toHex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { expect, test } from 'vitest'
import {
  MAX_PINNED_BYTES,
  parseSignedPinAnswer,
  rawCidHexOf,
  recoverPinAnswerSigner,
  signPinAnswer,
} from './pinAnswer.ts'
import { toWireJson } from './replicaAnswer.ts'

const key = privateKeyToAccount(generatePrivateKey())
const domain = { chainId: 31_337n, escrow: '0x00000000000000000000000000000000000e5c40' } as const
const bytes = new TextEncoder().encode('a batch channel')

test('the CID of bytes is the raw sha2-256 CIDv1 the stack and the ERC-8004 files use', () => {
  expect(cidFromHex(rawCidHexOf(bytes)).toString()).toBe(rawCidOf(bytes))
})

test('bytes survive the wire under a signature over their hash; other bytes do not match it', async () => {
  const request = { bountyId: 3n, agentId: 7n, challenge: `0x${'ab'.repeat(32)}`, batchIndex: 2n } as const
  const signed = await signPinAnswer(key, domain, { ...request, cid: rawCidHexOf(bytes), bytes: toHex(bytes) })
  const wire = parseSignedPinAnswer(JSON.parse(toWireJson(signed)))
  expect(wire).toEqual(signed)
  expect(await recoverPinAnswerSigner(domain, wire!)).toBe(key.address)
  expect(await recoverPinAnswerSigner(domain, { ...wire!, batchIndex: 3n })).not.toBe(key.address)
  expect(
    parseSignedPinAnswer({ ...JSON.parse(toWireJson(signed)), bytes: `0x${'00'.repeat(MAX_PINNED_BYTES + 1)}` }),
  ).toBeUndefined()
  expect(parseSignedPinAnswer({ ...JSON.parse(toWireJson(signed)), contentHash: '0x01' })).toBeUndefined()
})
