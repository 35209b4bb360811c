/**
 * The `exact` EVM scheme's invalid/error reasons as @x402/evm 2.27 reports them (src/exact/facilitator/
 * errors.ts there; the package does not export them). Named here so tests and UIs match on constants.
 */
export const ExactEvmReason = {
  invalidScheme: 'invalid_exact_evm_scheme',
  networkMismatch: 'invalid_exact_evm_network_mismatch',
  recipientMismatch: 'invalid_exact_evm_recipient_mismatch',
  invalidSignature: 'invalid_exact_evm_signature',
  validBeforeExpired: 'invalid_exact_evm_payload_authorization_valid_before',
  validAfterInFuture: 'invalid_exact_evm_payload_authorization_valid_after',
  valueMismatch: 'invalid_exact_evm_payload_authorization_value_mismatch',
  nonceAlreadyUsed: 'invalid_exact_evm_nonce_already_used',
  insufficientBalance: 'invalid_exact_evm_insufficient_balance',
  simulationFailed: 'invalid_exact_evm_transaction_simulation_failed',
  transactionFailed: 'invalid_exact_evm_transaction_failed',
  factoryNotAllowed: 'eip6492_factory_not_allowed',
} as const
