/**
 * Probes a verify bounty's operator for one window of batches (decision 0802), as the poster needs it: the
 * operator answered the window's validation request on chain (ERC-8004 Validation registry: by its key, 100,
 * while the window's outputs could still be challenged, its response document hashing to the committed hash
 * and listing every output of the window as posted and checked), and it answers a signed probe, with a fresh challenge, with the output roots it derived, equal to
 * those posted on the inbox. The first failing check names the miss. One passed probe pays one window.
 */
import {
  BountyError,
  BridgeNotConfiguredError,
  getOutputStatus,
  seedErc8004Registries,
  ValidationRegistryAbi,
} from '@seed/contracts'
import { readBatchRecord, readInboxHead } from '@seed/rollup-lite'
import {
  type Address,
  type Chain,
  type Client,
  type Hex,
  isAddressEqual,
  keccak256,
  stringToHex,
  type Transport,
  zeroHash,
} from 'viem'
import { getChainId, getContractEvents, readContract } from 'viem/actions'
import {
  MAX_VERIFY_WINDOW,
  parseSignedVerifyAnswer,
  recoverVerifyAnswerSigner,
  type SignedVerifyAnswer,
} from '../verifyAnswer.ts'
import { askOperator, miss, type ProbeMissed, randomChallenge, type SignedAnswerKind } from './probeResult.ts'
import { type VerifyWindow, windowRequestHash } from './requestWindowValidation.ts'

const VERIFY_ANSWER: SignedAnswerKind<SignedVerifyAnswer> = {
  name: 'a signed verify answer',
  maxBytes: 96 * 1024, // 1,000 roots of 66 characters and the rest of the answer
  parse: parseSignedVerifyAnswer,
  recover: recoverVerifyAnswerSigner,
}
const RESPONSE_PREFIX = 'data:application/json;base64,'

export type VerifyProbeResult = { passed: true; answer: SignedVerifyAnswer; requestHash: Hex } | ProbeMissed

export type ProbeVerifierParameters = VerifyWindow & {
  operatorUrl: string
  escrow: Address
  bountyId: bigint
  agentId: bigint
  /** The bounty's chain. */
  inbox: Address
  /** The key that joined the slot (`readBountySlot(...).operator`): the validator and the answers' signer. */
  operator: Address
  validation?: Address
  timeoutMs?: number
}

/** `l1`: a client of the L1 (the inbox, the Validation registry, the escrow's chain). */
export async function probeVerifier(
  l1: Client<Transport, Chain | undefined>,
  p: ProbeVerifierParameters,
): Promise<VerifyProbeResult> {
  const size = p.toBatch - p.fromBatch + 1n
  if (size < 1n || size > MAX_VERIFY_WINDOW) throw new BountyError(`a window holds 1 to ${MAX_VERIFY_WINDOW} batches`)
  const { count } = await readInboxHead(l1, p.inbox)
  if (p.toBatch >= count) throw new BountyError(`batch ${p.toBatch} is not posted yet`, { details: `${count} posted` })
  const posted: Hex[] = []
  for (let i = p.fromBatch; i <= p.toBatch; i++) posted.push((await readBatchRecord(l1, p.inbox, i)).outputRoot)

  const validation = p.validation ?? seedErc8004Registries().validation
  const requestHash = windowRequestHash(p)
  const onChain = await checkResponse(l1, {
    validation,
    requestHash,
    operator: p.operator,
    window: p,
    posted,
    challengeableUntil: await challengeableUntil(l1, p.inbox, p.fromBatch),
  })
  if (onChain) return onChain

  const chainId = BigInt(l1.chain?.id ?? (await getChainId(l1)))
  const asked = await askOperator(
    VERIFY_ANSWER,
    { ...p, chainId },
    {
      bountyId: p.bountyId,
      agentId: p.agentId,
      challenge: randomChallenge(),
      fromBatch: p.fromBatch,
      toBatch: p.toBatch,
    },
  )
  if (!('answer' in asked)) return asked
  const { answer } = asked
  const wrong = posted.findIndex((root, i) => root.toLowerCase() !== answer.outputRoots[i]!.toLowerCase())
  if (wrong >= 0) {
    const index = p.fromBatch + BigInt(wrong)
    return miss('outputRoot', `batch ${index}: derived ${answer.outputRoots[wrong]}, posted ${posted[wrong]}`)
  }
  return { passed: true, answer, requestHash }
}

/** The `validationResponse` miss, or undefined when the operator's on-chain answer covers the window as posted. */
async function checkResponse(
  l1: Client<Transport, Chain | undefined>,
  c: {
    validation: Address
    requestHash: Hex
    operator: Address
    window: VerifyWindow
    posted: Hex[]
    challengeableUntil: bigint | undefined
  },
): Promise<ProbeMissed | undefined> {
  const status = await readContract(l1, {
    address: c.validation,
    abi: ValidationRegistryAbi,
    functionName: 'getValidationStatus',
    args: [c.requestHash],
  }).catch(() => undefined)
  if (!status)
    return miss('validationResponse', 'the window was never asked of this operator (requestWindowValidation)')
  const [validator, , response, responseHash, , answeredAt] = status
  if (!isAddressEqual(validator, c.operator)) return miss('validationResponse', `the request names ${validator}`)
  if (responseHash === zeroHash) return miss('validationResponse', 'no validation response posted for the window')
  if (response !== 100) return miss('outputRoot', `the operator's validation response is ${response}`)
  if (c.challengeableUntil !== undefined && answeredAt >= c.challengeableUntil) {
    return miss(
      'validationResponse',
      `answered at ${answeredAt}, after the window's challenges closed at ${c.challengeableUntil}`,
    )
  }
  const [log] = await getContractEvents(l1, {
    address: c.validation,
    abi: ValidationRegistryAbi,
    eventName: 'ValidationResponse',
    args: { requestHash: c.requestHash, validatorAddress: c.operator },
    fromBlock: 0n,
    strict: true,
  })
  const uri = log?.args.responseURI ?? ''
  let outputs: { index?: string; outputRoot?: string; ok?: boolean }[] | undefined
  if (uri.startsWith(RESPONSE_PREFIX) && uri.length < 256 * 1024) {
    try {
      const json = atob(uri.slice(RESPONSE_PREFIX.length))
      if (keccak256(stringToHex(json)) === log!.args.responseHash) outputs = JSON.parse(json).outputs
    } catch {
      outputs = undefined
    }
  }
  if (!Array.isArray(outputs)) return miss('validationResponse', 'the response document is unreadable or not committed')
  for (let i = 0; i < c.posted.length; i++) {
    const index = c.window.fromBatch + BigInt(i)
    const entry = outputs.find((o) => o?.index === index.toString())
    if (!entry?.ok || entry.outputRoot?.toLowerCase() !== c.posted[i]!.toLowerCase()) {
      return miss('outputRoot', `the response does not confirm batch ${index}'s posted output`)
    }
  }
  return undefined
}

/**
 * When the window's first output stops being challengeable (the earliest of the window): a response after that
 * checked nothing anyone could still act on. Undefined for a chain without a bridge config (no challenges).
 */
async function challengeableUntil(l1: Client<Transport, Chain | undefined>, inbox: Address, index: bigint) {
  try {
    return (await getOutputStatus(l1, { inbox, index }))?.challengeWindowEndsAt
  } catch (e) {
    if (e instanceof BridgeNotConfiguredError) return undefined
    throw e
  }
}
