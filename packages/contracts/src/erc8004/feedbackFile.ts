/**
 * The off-chain feedback file a `feedbackURI` points at, with the ERC-8004 `proofOfPayment`: the
 * transaction that paid the agent. Readers check that proof on chain (verifyProofOfPayment) before
 * counting the feedback: anyone may give feedback, only a payer's is evidence.
 */
import { type Address, type Hex, isAddress, isHex } from 'viem'
import { Erc8004FileError } from './errors.ts'

export const MAX_FEEDBACK_FILE_BYTES = 16 * 1024

export type ProofOfPayment = { fromAddress: Address; toAddress: Address; chainId: string; txHash: Hex }
export type FeedbackFile = {
  agentRegistry: string
  agentId: number
  clientAddress: string
  createdAt: string
  value: string
  valueDecimals: number
  tag1?: string
  tag2?: string
  endpoint?: string
  proofOfPayment?: ProofOfPayment
}

export function encodeFeedbackFile(file: FeedbackFile): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(file))
}

export function parseFeedbackFile(bytes: Uint8Array): FeedbackFile {
  if (bytes.length > MAX_FEEDBACK_FILE_BYTES) {
    throw new Erc8004FileError('feedback file', `larger than ${MAX_FEEDBACK_FILE_BYTES} bytes`)
  }
  let json: Record<string, unknown>
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw new Erc8004FileError('feedback file', 'not UTF-8 JSON')
  }
  if (!json || typeof json !== 'object' || !Number.isSafeInteger(json.agentId)) {
    throw new Erc8004FileError('feedback file', 'agentId')
  }
  const proof = json.proofOfPayment as Record<string, unknown> | undefined
  if (
    proof !== undefined &&
    !(
      typeof proof === 'object' &&
      isAddress(String(proof.fromAddress)) &&
      isAddress(String(proof.toAddress)) &&
      isHex(proof.txHash) &&
      (proof.txHash as string).length === 66
    )
  ) {
    throw new Erc8004FileError('feedback file', 'proofOfPayment')
  }
  return json as unknown as FeedbackFile
}
