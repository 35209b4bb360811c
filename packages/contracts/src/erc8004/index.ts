export {
  AGENT_WALLET_MAX_DEADLINE_DELAY_S,
  AGENT_WALLET_SET_TYPES,
  agentWalletTypedData,
} from './agentWalletTypedData.ts'
export * from './calls.ts'
export { type DiscoveredAgent, discoverAgents, type FetchFile, inspectAgent } from './discoverAgents.ts'
export { Erc8004FileError } from './errors.ts'
export * from './feedbackFile.ts'
export { fetchIpfsFile, IPFS_FETCH_TIMEOUT_MS } from './fetchIpfsFile.ts'
export { cidOfUri, contentMatchesCid, rawCidOf } from './ipfsCid.ts'
export { listAgents } from './listAgents.ts'
export { type FeedbackEntry, joinFeedback, listFeedback, summarizeFeedback } from './listFeedback.ts'
export { type CheckedFeedback, checkFeedbackEntries, checkFeedbackPayment, paidFeedback } from './paidFeedback.ts'
export { type AgentIdentity, readAgent } from './readAgent.ts'
export * from './registrationFile.ts'
export { agentRegistryId, type Erc8004Registries, seedErc8004Registries } from './registries.ts'
export * from './rollupServices.ts'
export { onePaymentOneFeedback, type PaymentCheck, verifyProofOfPayment } from './verifyProofOfPayment.ts'
