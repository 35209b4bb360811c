// The poster's side alone (no Node imports): what the wallet's background calls through its pipeline.

export { MAX_VERIFY_WINDOW } from '../verifyAnswer.ts'
export {
  type BountyFeedbackParameters,
  type FeedbackLedger,
  reportMiss,
  reviewSettlements,
} from './giveBountyFeedback.ts'
export type { PublishFile } from './ipfsPublisher.ts'
export { payEpoch } from './payEpoch.ts'
export { type OperatorProbeResult, type ProbeOperatorParameters, probeOperator } from './probeOperator.ts'
export { type ProbeMiss, type ProbeResult, probeReplica } from './probeReplica.ts'
export { requestWindowValidation, type VerifyWindow } from './requestWindowValidation.ts'
