// The poster's side alone (no Node imports): what the wallet's background calls through its pipeline.
export {
  type BountyFeedbackParameters,
  type FeedbackLedger,
  reportMiss,
  reviewSettlements,
} from './giveBountyFeedback.ts'
export type { PublishFile } from './ipfsPublisher.ts'
export { payEpoch } from './payEpoch.ts'
export { type ProbeMiss, type ProbeResult, probeReplica } from './probeReplica.ts'
