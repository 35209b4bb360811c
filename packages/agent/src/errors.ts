/** The wallet's refusals as the Node side sees them: the EIP-1193 code, the message and the reasons. */
export type SerializedWalletError = { code: number; message: string; data?: unknown }

export class SeedAgentError extends Error {
  override name = 'SeedAgentError'
  readonly code: number
  readonly data?: unknown
  constructor(error: SerializedWalletError) {
    super(error.message)
    this.code = error.code
    this.data = error.data
  }
  get shortMessage() {
    return this.message
  }
  /** The policy's or grant's reasons (codes like `budget`, `revoked`), when the wallet gave them. */
  get reasons(): { code: string; message: string }[] {
    return ((this.data as { reasons?: { code: string; message: string }[] } | undefined)?.reasons ?? []).map((r) => ({
      code: r.code,
      message: r.message,
    }))
  }
}
