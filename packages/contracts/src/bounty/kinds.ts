/** The work a bounty pays for, as the escrow's `Kind` enum numbers it (decision 0802). */
export const BOUNTY_KINDS = ['replica', 'verify', 'pin'] as const
export type BountyKind = (typeof BOUNTY_KINDS)[number]

export function bountyKindCode(kind: BountyKind): number {
  return BOUNTY_KINDS.indexOf(kind)
}

export function bountyKindOf(code: number): BountyKind | undefined {
  return BOUNTY_KINDS[code]
}
