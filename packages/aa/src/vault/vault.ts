/**
 * The agent's key vault: one secret (BIP-39 mnemonic or raw private key) encrypted at rest with a password.
 * Unlocked key material lives only in this closure — never on an enumerable property — so logging,
 * `JSON.stringify` or `util.inspect` of the vault, its accounts or its errors cannot leak it.
 */
import { validateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { type Hex, isHex } from 'viem'
import {
  english,
  generateMnemonic,
  generatePrivateKey,
  type HDAccount,
  mnemonicToAccount,
  type PrivateKeyAccount,
  privateKeyToAccount,
} from 'viem/accounts'
import { SeedAaError } from '../errors.ts'
import type { KeyValueStorage } from '../storage.ts'
import { decryptSecret, encryptSecret, MIN_ITERATIONS, type VaultEnvelope } from './envelope.ts'

export type VaultAccount = HDAccount | PrivateKeyAccount
export type VaultSecret = { kind: 'mnemonic'; mnemonic: string } | { kind: 'privateKey'; privateKey: Hex }

export class VaultLockedError extends SeedAaError {
  override name = 'VaultLockedError'
  constructor() {
    super('The vault is locked: unlock it with the password first.')
  }
}
export class VaultNotFoundError extends SeedAaError {
  override name = 'VaultNotFoundError'
  constructor() {
    super('No vault exists yet: create or import one first.')
  }
}
export class VaultExistsError extends SeedAaError {
  override name = 'VaultExistsError'
  constructor() {
    super('A vault already exists under this name; refusing to overwrite it.')
  }
}
export class InvalidSecretError extends SeedAaError {
  override name = 'InvalidSecretError'
}
export class WeakPasswordError extends SeedAaError {
  override name = 'WeakPasswordError'
}

export type VaultOptions = {
  /** Storage key, so one storage can hold several vaults (e.g. 'owner' and 'session'). Default 'default'. */
  name?: string
  /** PBKDF2 iterations for new envelopes (never below 600,000). */
  iterations?: number
  /** Minimum password length. Default 8. */
  minPasswordLength?: number
}

export type Vault = {
  readonly name: string
  exists(): Promise<boolean>
  /** The account address, readable while locked (stored as authenticated public metadata). */
  address(): Promise<Hex | undefined>
  /** Generates a fresh secret (12-word mnemonic by default) and stores it encrypted; stays unlocked. */
  create(params: { password: string; kind?: VaultSecret['kind'] }): Promise<VaultAccount>
  /** Imports an existing mnemonic or private key; stays unlocked. */
  import(params: { password: string } & ({ mnemonic: string } | { privateKey: Hex })): Promise<VaultAccount>
  unlock(password: string): Promise<VaultAccount>
  lock(): void
  isUnlocked(): boolean
  /** The unlocked signer; throws VaultLockedError while locked. */
  account(): VaultAccount
  changePassword(params: { oldPassword: string; newPassword: string }): Promise<void>
  /** Returns the secret for backup; always asks for the password again, even when unlocked. */
  exportSecret(password: string): Promise<VaultSecret>
  /** Deletes the envelope (needs the password). */
  destroy(password: string): Promise<void>
}

const toAccount = (secret: VaultSecret): VaultAccount =>
  secret.kind === 'mnemonic' ? mnemonicToAccount(secret.mnemonic) : privateKeyToAccount(secret.privateKey)

function normaliseSecret(input: { mnemonic: string } | { privateKey: Hex }): VaultSecret {
  if ('mnemonic' in input) {
    const mnemonic = input.mnemonic.trim().toLowerCase().split(/\s+/).join(' ')
    if (!validateMnemonic(mnemonic, wordlist)) throw new InvalidSecretError('Not a valid BIP-39 English mnemonic.')
    return { kind: 'mnemonic', mnemonic }
  }
  const key = input.privateKey
  if (!isHex(key) || key.length !== 66 || /^0x0+$/.test(key)) {
    throw new InvalidSecretError('Not a valid 32-byte hex private key.')
  }
  return { kind: 'privateKey', privateKey: key.toLowerCase() as Hex }
}

export function createVault(storage: KeyValueStorage, options: VaultOptions = {}): Vault {
  const name = options.name ?? 'default'
  const storageKey = `seed.vault.${name}`
  const iterations = Math.max(options.iterations ?? MIN_ITERATIONS, MIN_ITERATIONS)
  const minLength = options.minPasswordLength ?? 8
  let unlocked: VaultAccount | undefined

  const load = async () => {
    const envelope = await storage.get<VaultEnvelope>(storageKey)
    if (!envelope) throw new VaultNotFoundError()
    return envelope
  }
  const checkPassword = (password: string) => {
    if (typeof password !== 'string' || password.length < minLength) {
      throw new WeakPasswordError(`The password must have at least ${minLength} characters.`)
    }
  }
  const decrypt = async (password: string): Promise<VaultSecret> =>
    JSON.parse(await decryptSecret(await load(), password)) as VaultSecret
  const store = async (secret: VaultSecret, password: string, createdAt = new Date().toISOString()) => {
    const account = toAccount(secret)
    const meta = { kind: secret.kind, address: account.address, createdAt }
    await storage.set(storageKey, await encryptSecret(JSON.stringify(secret), password, meta, iterations))
    return account
  }
  const save = async (secret: VaultSecret, password: string) => {
    checkPassword(password)
    if (await storage.get(storageKey)) throw new VaultExistsError()
    unlocked = await store(secret, password)
    return unlocked
  }

  const vault: Vault = {
    name,
    async exists() {
      return (await storage.get(storageKey)) !== undefined
    },
    async address() {
      return (await storage.get<VaultEnvelope>(storageKey))?.meta.address
    },
    async create({ password, kind = 'mnemonic' }) {
      const secret: VaultSecret =
        kind === 'mnemonic'
          ? { kind, mnemonic: generateMnemonic(english) }
          : { kind: 'privateKey', privateKey: generatePrivateKey() }
      return save(secret, password)
    },
    async import({ password, ...input }) {
      return save(normaliseSecret(input), password)
    },
    async unlock(password) {
      unlocked = toAccount(await decrypt(password))
      return unlocked
    },
    lock() {
      unlocked = undefined
    },
    isUnlocked: () => unlocked !== undefined,
    account() {
      if (!unlocked) throw new VaultLockedError()
      return unlocked
    },
    async changePassword({ oldPassword, newPassword }) {
      checkPassword(newPassword)
      const envelope = await load()
      const secret = await decrypt(oldPassword)
      await store(secret, newPassword, envelope.meta.createdAt)
    },
    exportSecret: (password) => decrypt(password),
    async destroy(password) {
      await decrypt(password)
      await storage.delete(storageKey)
      unlocked = undefined
    },
  }
  // What a log line shows: the name and lock state, nothing derived from the secret.
  const summary = () => ({ vault: name, unlocked: unlocked !== undefined })
  Object.defineProperties(vault, {
    toJSON: { value: summary, enumerable: false },
    [Symbol.for('nodejs.util.inspect.custom')]: {
      value: () => `Vault ${JSON.stringify(summary())}`,
      enumerable: false,
    },
  })
  return vault
}
