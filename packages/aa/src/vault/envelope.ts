/**
 * Password encryption of vault secrets with WebCrypto only (browser and Node):
 * PBKDF2-SHA256 (≥ 600,000 iterations, OWASP 2023) derives an AES-256-GCM key; salt and iv are random per
 * encryption; the envelope header is bound as additional authenticated data so it cannot be swapped.
 */
import { bytesToHex, type Hex, hexToBytes } from 'viem'
import { SeedAaError } from '../errors.ts'

export const MIN_ITERATIONS = 600_000

export type VaultEnvelope = {
  version: 1
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: Hex }
  cipher: { name: 'AES-GCM'; iv: Hex }
  /** Public metadata, authenticated (not encrypted). */
  meta: { kind: 'mnemonic' | 'privateKey'; address: Hex; createdAt: string }
  ciphertext: Hex
}

/** The password did not decrypt the envelope (or the envelope was tampered with: GCM can't tell which). */
export class WrongPasswordError extends SeedAaError {
  override name = 'WrongPasswordError'
  constructor() {
    super('Wrong password: the vault could not be decrypted.')
  }
}

export class VaultFormatError extends SeedAaError {
  override name = 'VaultFormatError'
}

const subtle = () => {
  const s = globalThis.crypto?.subtle
  if (!s) throw new SeedAaError('WebCrypto (crypto.subtle) is not available in this environment.')
  return s
}

async function deriveKey(password: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  if (iterations < MIN_ITERATIONS) throw new VaultFormatError(`PBKDF2 iterations below ${MIN_ITERATIONS}.`)
  const material = await subtle().importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveKey'])
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}

const aad = (e: Pick<VaultEnvelope, 'version' | 'kdf' | 'meta'>) =>
  new TextEncoder().encode(JSON.stringify([e.version, e.kdf, e.meta]))

export async function encryptSecret(
  plaintext: string,
  password: string,
  meta: VaultEnvelope['meta'],
  iterations = MIN_ITERATIONS,
): Promise<VaultEnvelope> {
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16))
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12))
  const header = {
    version: 1 as const,
    kdf: { name: 'PBKDF2' as const, hash: 'SHA-256' as const, iterations, salt: bytesToHex(salt) },
    meta,
  }
  const key = await deriveKey(password, salt, iterations)
  const ciphertext = await subtle().encrypt(
    { name: 'AES-GCM', iv, additionalData: aad(header) },
    key,
    new TextEncoder().encode(plaintext),
  )
  return {
    ...header,
    cipher: { name: 'AES-GCM', iv: bytesToHex(iv) },
    ciphertext: bytesToHex(new Uint8Array(ciphertext)),
  }
}

export async function decryptSecret(envelope: VaultEnvelope, password: string): Promise<string> {
  if (envelope?.version !== 1 || envelope.kdf?.name !== 'PBKDF2' || envelope.cipher?.name !== 'AES-GCM') {
    throw new VaultFormatError('Unsupported vault envelope version or algorithm.')
  }
  const key = await deriveKey(password, hexToBytes(envelope.kdf.salt), envelope.kdf.iterations)
  try {
    const plain = await subtle().decrypt(
      { name: 'AES-GCM', iv: hexToBytes(envelope.cipher.iv) as BufferSource, additionalData: aad(envelope) },
      key,
      hexToBytes(envelope.ciphertext) as BufferSource,
    )
    return new TextDecoder().decode(plain)
  } catch {
    // Deliberately no cause: the underlying OperationError says nothing useful and must not carry data.
    throw new WrongPasswordError()
  }
}
