/**
 * Asks a verify bounty's operator, on the ERC-8004 Validation registry, to validate one window of the poster's
 * batches (`validationRequest` from the poster's agent, naming the operator's key): the operator's verifier
 * answers it with `validationResponse` once it re-derived the window, and the poster's probe reads that answer
 * before paying the window. The request document names the validator, so each operator gets its own request.
 * Idempotent: a window already asked of this operator is not asked again.
 */
import { BountyError, seedErc8004Registries, ValidationRegistryAbi, validationRequestCall } from '@seed/contracts'
import { outputsValidationRequest } from '@seed/rollup-lite'
import type { Account, Address, Chain, Client, Hex, Transport } from 'viem'
import { readContract, sendTransaction, waitForTransactionReceipt } from 'viem/actions'

export type VerifyWindow = { fromBatch: bigint; toBatch: bigint }

/** The request hash of a window asked of `operator` (what the probe reads on chain). */
export const windowRequestHash = (p: { inbox: Address; operator: Address } & VerifyWindow): Hex =>
  outputsValidationRequest({ inbox: p.inbox, fromBatch: p.fromBatch, toBatch: p.toBatch, validator: p.operator })
    .requestHash

export async function requestWindowValidation(
  client: Client<Transport, Chain, Account>,
  p: VerifyWindow & {
    inbox: Address
    /** The poster's ERC-8004 agent (the client's key owns or operates it): the agent whose outputs are validated. */
    posterAgentId: bigint
    /** The key that joined the verify bounty's slot. */
    operator: Address
    validation?: Address
  },
): Promise<{ requestHash: Hex; requested: boolean }> {
  const validation = p.validation ?? seedErc8004Registries().validation
  const { requestURI, requestHash } = outputsValidationRequest({
    inbox: p.inbox,
    fromBatch: p.fromBatch,
    toBatch: p.toBatch,
    validator: p.operator,
  })
  const asked = await readContract(client, {
    address: validation,
    abi: ValidationRegistryAbi,
    functionName: 'getValidationStatus',
    args: [requestHash],
  }).then(
    () => true,
    () => false, // UnknownValidationRequest
  )
  if (asked) return { requestHash, requested: false }
  const call = validationRequestCall(validation, {
    validatorAddress: p.operator,
    agentId: p.posterAgentId,
    requestURI,
    requestHash,
  })
  const hash = await sendTransaction(client, { ...call, account: client.account, chain: client.chain })
  const receipt = await waitForTransactionReceipt(client, { hash })
  if (receipt.status !== 'success') throw new BountyError('the validation request reverted', { details: hash })
  return { requestHash, requested: true }
}
