/** How a data source fails (typed, never a crash): a derivation falls back to the next source on it. */
export class DataUnavailableError extends Error {
  override name = 'DataUnavailableError'
  readonly shortMessage: string
  constructor(
    readonly source: 'blobs' | 'ipfs',
    reason: string,
  ) {
    super(`${source}: ${reason}`)
    this.shortMessage = `${source} data unavailable`
  }
}
