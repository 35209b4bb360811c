/**
 * ERC-8004 validation of a chain's outputs (issue 17): an agent asks a verifier, by name, to check a range of
 * its batches (`validationRequest` on the Validation registry); the verifier answers with `validationResponse`
 * once it has re-derived every batch of the range: 100 when every posted output root is the derived one, 0
 * when any is not. The request and the response are small JSON documents carried inline as `data:` URIs and
 * committed to by their keccak256 (the registry's request and response hashes).
 */
import { ValidationRegistryAbi, validationResponseCall } from '@seed/contracts'
import { type Address, type Hex, keccak256, type PublicClient, stringToHex, zeroHash } from 'viem'
import { getBlockNumber, getContractEvents, readContract } from 'viem/actions'
import type { PostedBatch } from '../../protocol/inbox.ts'
import type { SendL1Call } from './challenge-mismatch.ts'
import type { CheckedBatch, OutputVerdict } from './verdict.ts'

/** The type of the request and response documents, and the tag of the response. */
export const OUTPUTS_VALIDATION_TYPE = 'seed-rollup-outputs-v1'

export type OutputsValidationRequest = { inbox: Address; fromBatch: bigint; toBatch: bigint }

const DATA_URI_PREFIX = 'data:application/json;base64,'

/** The documents are ASCII JSON (addresses, decimal numbers, hashes): btoa/atob suffice in Node and browsers. */
function dataUri(json: string): { uri: string; hash: Hex } {
  return { uri: DATA_URI_PREFIX + btoa(json), hash: keccak256(stringToHex(json)) }
}

/**
 * The request URI and hash an agent passes to `validationRequest` to have batches `fromBatch..toBatch` of `inbox`
 * checked. `validator` names the verifier in the document too: the registry keys requests by hash, so two
 * verifiers asked about the same range need two documents.
 */
export function outputsValidationRequest(r: OutputsValidationRequest & { validator?: Address }): {
  requestURI: string
  requestHash: Hex
} {
  const { uri, hash } = dataUri(
    JSON.stringify({
      type: OUTPUTS_VALIDATION_TYPE,
      inbox: r.inbox,
      fromBatch: r.fromBatch.toString(),
      toBatch: r.toBatch.toString(),
      ...(r.validator && { validator: r.validator }),
    }),
  )
  return { requestURI: uri, requestHash: hash }
}

/** The request a URI names, if it is one this verifier reads and its bytes hash to `requestHash`; else why not. */
export function parseOutputsValidationRequest(requestURI: string, requestHash: Hex): OutputsValidationRequest | string {
  if (!requestURI.startsWith(DATA_URI_PREFIX)) return 'not an inline JSON request'
  const encoded = requestURI.slice(DATA_URI_PREFIX.length)
  if (encoded.length > 4096) return 'request larger than 4096 bytes'
  let json: string
  try {
    json = atob(encoded)
  } catch {
    return 'request is not base64'
  }
  if (keccak256(stringToHex(json)) !== requestHash) return 'request does not hash to its requestHash'
  try {
    const r = JSON.parse(json) as Record<string, unknown>
    if (r.type !== OUTPUTS_VALIDATION_TYPE) return `not a ${OUTPUTS_VALIDATION_TYPE} request`
    const inbox = String(r.inbox)
    if (!/^0x[0-9a-fA-F]{40}$/.test(inbox)) return 'bad inbox'
    const [fromBatch, toBatch] = [r.fromBatch, r.toBatch].map((n) =>
      /^\d{1,18}$/.test(String(n)) ? BigInt(String(n)) : -1n,
    )
    if (fromBatch! < 0n || toBatch! < fromBatch!) return 'bad batch range'
    return { inbox: inbox as Address, fromBatch: fromBatch!, toBatch: toBatch! }
  } catch {
    return 'request is not JSON'
  }
}

export type OutputsValidator = {
  /** Answers every request naming this verifier whose whole range is now derived; the rest wait. */
  answer(state: {
    batches: readonly PostedBatch[]
    checked: (index: bigint) => CheckedBatch | undefined
  }): Promise<OutputVerdict[]>
}

/** Ranges larger than this are refused: the response lists every output of the range. */
const MAX_RANGE = 1_000n

export function createOutputsValidator(o: {
  l1: PublicClient
  /** The Validation registry (seedErc8004Registries().validation, or a network's). */
  validation: Address
  /** This verifier's address: requests must name it. */
  validator: Address
  inbox: Address
  send: SendL1Call
}): OutputsValidator {
  let scannedTo = -1n
  const waiting = new Map<Hex, OutputsValidationRequest>()

  async function readRequests(): Promise<OutputVerdict[]> {
    const latest = await getBlockNumber(o.l1, { cacheTime: 0 })
    if (latest <= scannedTo) return []
    const logs = await getContractEvents(o.l1, {
      address: o.validation,
      abi: ValidationRegistryAbi,
      eventName: 'ValidationRequest',
      args: { validatorAddress: o.validator },
      fromBlock: scannedTo + 1n,
      toBlock: latest,
    })
    const skipped: OutputVerdict[] = []
    for (const log of logs) {
      const { requestURI, requestHash } = log.args as { requestURI: string; requestHash: Hex }
      // Restart-safe: a request answered before (ours always carry a response hash) is not answered again.
      const [, , , responseHash] = await readContract(o.l1, {
        address: o.validation,
        abi: ValidationRegistryAbi,
        functionName: 'getValidationStatus',
        args: [requestHash],
      })
      if (responseHash !== zeroHash) continue
      const request = parseOutputsValidationRequest(requestURI, requestHash)
      const reason =
        typeof request === 'string'
          ? request
          : request.inbox.toLowerCase() !== o.inbox.toLowerCase()
            ? `asks about inbox ${request.inbox}, this verifier follows ${o.inbox}`
            : request.toBatch - request.fromBatch >= MAX_RANGE
              ? `range larger than ${MAX_RANGE} batches`
              : undefined
      if (reason || typeof request === 'string')
        skipped.push({ verdict: 'validation-skipped', requestHash, reason: reason! })
      else waiting.set(requestHash, request)
    }
    scannedTo = latest
    return skipped
  }

  return {
    async answer({ batches, checked }) {
      const verdicts = await readRequests()
      for (const [requestHash, r] of waiting) {
        const outputs: { index: string; outputRoot: Hex; ok: boolean }[] = []
        for (let i = r.fromBatch; i <= r.toBatch; i++) {
          const batch = batches[Number(i)]
          const check = checked(i)
          if (!batch || check?.batchHash !== batch.batchHash) break
          outputs.push({ index: i.toString(), outputRoot: batch.outputRoot, ok: check.ok })
        }
        if (BigInt(outputs.length) !== r.toBatch - r.fromBatch + 1n) continue
        const response = outputs.every((x) => x.ok) ? 100 : 0
        const { uri, hash } = dataUri(
          JSON.stringify({ type: OUTPUTS_VALIDATION_TYPE, inbox: r.inbox, requestHash, response, outputs }),
        )
        const txHash = await o.send({
          ...validationResponseCall(o.validation, {
            requestHash,
            response,
            responseURI: uri,
            responseHash: hash,
            tag: OUTPUTS_VALIDATION_TYPE,
          }),
          value: 0n,
        })
        waiting.delete(requestHash)
        verdicts.push({
          verdict: 'validation-response',
          requestHash,
          response,
          txHash,
          fromBatch: r.fromBatch,
          toBatch: r.toBatch,
        })
      }
      return verdicts
    },
  }
}
