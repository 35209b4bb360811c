export { SeedAaError } from './errors.ts'
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
