/** Base for every error this package throws: a stable `name`, a `shortMessage`, never secret material. */
export class SeedAaError extends Error {
  override name = 'SeedAaError'
  readonly shortMessage: string
  constructor(shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage, {
      cause: options.cause,
    })
    this.shortMessage = shortMessage
  }
}
