export {
  type AgentAccount,
  type CreateAgentAccountParameters,
  createAgentAccount,
  type Paymaster,
} from './account/createAgentAccount.ts'
export { type CallsEstimate, estimateCalls } from './account/estimateCalls.ts'
export { getUserOperationGasPrice, type UserOperationGasPrice } from './account/fees.ts'
export {
  type Call,
  executeCalls,
  type SendCallsParameters,
  sendCalls,
  UserOperationRevertedError,
  waitForCalls,
} from './account/sendCalls.ts'
export {
  ANY_SELECTOR,
  DEFAULT_SESSION_FEE_CAPS,
  depositGasCall,
  ETH_TRANSFER_SELECTOR,
  getSession,
  grantSessionKey,
  grantSessionKeyCall,
  revokeSessionKey,
  revokeSessionKeyCall,
  type SessionFeeCaps,
  type SessionPermission,
  type SessionScope,
  sessionPaymasterCall,
} from './account/sessionKeys.ts'
export {
  encodeUserOperationSignature,
  MAX_SESSION_OP_VALIDITY,
  seedAccountSignatureDomain,
  seedMessageTypedData,
  seedUserOperationTypedData,
  seedUserOperationTypes,
  type UserOperationValidity,
} from './account/signatureTypedData.ts'
export {
  type SeedSmartAccount,
  type SeedSmartAccountParameters,
  SessionKeyCannotSignError,
  toSeedSmartAccount,
} from './account/toSeedSmartAccount.ts'
export {
  type ActionPipeline,
  type ActionPipelineParameters,
  createActionPipeline,
  type RunParameters,
} from './actions/createActionPipeline.ts'
export { ActionRejectedError, ApprovalRequiredError, PolicyDeniedError } from './actions/errors.ts'
export { createMemoryLock, type Lock } from './actions/lock.ts'
export { SeedAaError } from './errors.ts'
export { approveTokenPaymaster, tokenPaymaster } from './paymaster/tokenPaymaster.ts'
export { getVerifyingPaymasterHash, verifyingPaymaster } from './paymaster/verifyingPaymaster.ts'
export { accountExecuteAbi, decodeSpend, flattenCalls, type PolicyCall, type Spend } from './policy/decodeSpend.ts'
export { actionAmounts, evaluatePolicy, maxFeeOf, recordAction, spentInPeriod } from './policy/evaluatePolicy.ts'
export { type AuditEntry, createGuard, type Guard } from './policy/guard.ts'
export { guardedExecuteCalls } from './policy/guardedSendCalls.ts'
export { guardedSignMessage, guardedSignTypedData, typedDataSpend } from './policy/guardedSign.ts'
export { type TypedDataPayload, typedDataAction } from './policy/typedDataSignature.ts'
export {
  type Action,
  type AmountLimits,
  initialPolicyState,
  type LedgerEntry,
  type Policy,
  type PolicyState,
  type Reason,
  type ReasonCode,
  type TypedDataSignature,
  type Verdict,
} from './policy/types.ts'
export {
  type ApprovalChange,
  type AssetChange,
  type SimulateAssetChangesResult,
  type SimulatedCall,
  SimulationUnsupportedError,
  simulateAssetChanges,
} from './simulate/simulateAssetChanges.ts'
export { createMemoryStorage, type KeyValueStorage } from './storage.ts'
export { MIN_ITERATIONS, type VaultEnvelope, VaultFormatError, WrongPasswordError } from './vault/envelope.ts'
export {
  createVault,
  InvalidSecretError,
  type Vault,
  type VaultAccount,
  VaultExistsError,
  VaultLockedError,
  VaultNotFoundError,
  type VaultOptions,
  type VaultSecret,
  WeakPasswordError,
} from './vault/vault.ts'
