/** Base error of @seed/x402: every error carries a one-line `shortMessage` for UIs and logs. */
export class SeedX402Error extends Error {
  override name = 'SeedX402Error'
  readonly shortMessage: string
  constructor(shortMessage: string, options?: { details?: string; cause?: unknown }) {
    super(options?.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage, {
      cause: options?.cause,
    })
    this.shortMessage = shortMessage
  }
}
