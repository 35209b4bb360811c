/**
 * What a probe concludes, for every bounty kind (decision 0802): passed, or the first check that failed, named
 * by the feedback tag the poster publishes for it (`uptime` 0 / `<miss>`).
 */
import { readLimitedText } from '@seed/contracts'
import { type Address, type Hex, isAddressEqual, toHex } from 'viem'
import { toWireJson } from '../replicaAnswer.ts'

export type ProbeMiss =
  /** No answer in time, an HTTP error, or not an answer at all. */
  | 'reachable'
  /** Not signed by the slot's key, or not an answer to this probe. */
  | 'signature'
  /** A replica lagging the sequencer by more than allowed. */
  | 'blocktimeFreshness'
  /** A replica's block hash or state root is not the sequencer's. */
  | 'stateRoot'
  /** A verifier posted no (or a negative, or an unreadable) validation response for the window on chain. */
  | 'validationResponse'
  /** A verifier's derived output roots (answered or in its response) are not the ones posted on the inbox. */
  | 'outputRoot'
  /** A pinner's bytes do not hash to the batch's CID. */
  | 'pinnedContent'

export type ProbeMissed = { passed: false; miss: ProbeMiss; details: string }

export const miss = (miss: ProbeMiss, details: string): ProbeMissed => ({ passed: false, miss, details })

/** A fresh random 32-byte challenge: an old answer is useless for a new probe. */
export const randomChallenge = () => toHex(crypto.getRandomValues(new Uint8Array(32)))

/** A random integer in [0, n) (n ≥ 1). */
export const randomBelow = (n: bigint) => BigInt(crypto.getRandomValues(new Uint32Array(1))[0]!) % n

/** What each kind of probe answer is, for `askOperator`. */
export type SignedAnswerKind<A> = {
  /** How a miss names what the answer should have been: "a signed replica answer". */
  name: string
  maxBytes: number
  parse: (body: unknown) => A | undefined
  recover: (domain: { chainId: bigint; escrow: Address }, answer: A) => Promise<Address | undefined>
}

/**
 * Sends a probe and checks what every kind's answer must be before its own checks: an answer of the kind,
 * signed by the key that joined the slot (in the escrow's domain on `chainId`), echoing every field of this
 * request, the fresh challenge included (an old or another probe's answer is worth nothing).
 */
export async function askOperator<A extends object>(
  kind: SignedAnswerKind<A>,
  p: { operatorUrl: string; escrow: Address; operator: Address; chainId: bigint; timeoutMs?: number },
  request: { challenge: Hex } & Record<string, bigint | Hex>,
): Promise<{ answer: A } | ProbeMissed> {
  const sent = await postProbe(p.operatorUrl, request, { maxBytes: kind.maxBytes, timeoutMs: p.timeoutMs })
  if (!('body' in sent)) return sent
  const answer = kind.parse(sent.body)
  if (!answer) return miss('reachable', `the answer is not ${kind.name}`)
  const signer = await kind.recover({ chainId: p.chainId, escrow: p.escrow }, answer)
  if (!signer || !isAddressEqual(signer, p.operator)) return miss('signature', `signed by ${signer ?? 'nobody'}`)
  const echoed = answer as Record<string, unknown>
  if (Object.entries(request).some(([field, value]) => echoed[field] !== value)) {
    return miss('signature', 'the answer is not for this probe')
  }
  return { answer }
}

/** POSTs a probe to the operator and reads at most `maxBytes` of JSON back: the body, or the `reachable` miss. */
export async function postProbe(
  operatorUrl: string,
  request: Record<string, unknown>,
  o: { maxBytes: number; timeoutMs?: number },
): Promise<{ body: unknown } | ProbeMissed> {
  try {
    const res = await fetch(new URL('/probe', operatorUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: toWireJson(request),
      signal: AbortSignal.timeout(o.timeoutMs ?? 5_000),
    })
    const text = await readLimitedText(res, o.maxBytes)
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return miss('reachable', `HTTP ${res.status}: the answer is not JSON`)
    }
    if (!res.ok) return miss('reachable', `HTTP ${res.status}: ${errorMessage(body)}`)
    return { body }
  } catch (e) {
    return miss('reachable', (e as Error).message)
  }
}

const errorMessage = (body: unknown) =>
  (body as { error?: { message?: string } } | undefined)?.error?.message ?? 'no error message'
