/** Typed errors of the batch codec, batcher and verifier (viem style: `shortMessage` + details). */
export class BatchError extends Error {
  override name = 'BatchError'
  readonly shortMessage: string
  constructor(shortMessage: string, details?: string) {
    super(details ? `${shortMessage}\n\nDetails: ${details}` : shortMessage)
    this.shortMessage = shortMessage
  }
}

/** Bytes that do not decode under SPEC.md (bad version, truncated column, bad blob field element...). */
export class BatchDecodeError extends BatchError {
  override name = 'BatchDecodeError'
}

/** A batch that decodes but breaks a derivation rule (range, parent, chain id, commitment mismatch). */
export class BatchInvalidError extends BatchError {
  override name = 'BatchInvalidError'
}
