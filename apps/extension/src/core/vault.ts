/**
 * Password-encrypted owner key (PBKDF2-SHA256 → AES-256-GCM, WebCrypto). The plaintext key only
 * exists in the background after unlock (and in chrome.storage.session until auto-lock).
 */
import { bytesToHex, type Hex, hexToBytes } from 'viem'
import type { VaultRecord } from './storage.ts'

const ITERATIONS = 210_000

export class WrongPasswordError extends Error {
  shortMessage = 'Wrong password'
  constructor() {
    super('Wrong password: the vault could not be decrypted.')
  }
}

async function deriveKey(password: string, salt: Uint8Array, iterations: number) {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, [
    'deriveKey',
  ])
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}

export async function encryptKey(privateKey: Hex, password: string): Promise<VaultRecord['crypto']> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const key = await deriveKey(password, salt, ITERATIONS)
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, hexToBytes(privateKey) as BufferSource)
  return {
    kdf: 'PBKDF2-SHA256',
    iterations: ITERATIONS,
    salt: bytesToHex(salt),
    iv: bytesToHex(iv),
    ciphertext: bytesToHex(new Uint8Array(ciphertext)),
  }
}

export async function decryptKey(record: VaultRecord['crypto'], password: string): Promise<Hex> {
  const key = await deriveKey(password, hexToBytes(record.salt), record.iterations)
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: hexToBytes(record.iv) as BufferSource },
      key,
      hexToBytes(record.ciphertext) as BufferSource,
    )
    return bytesToHex(new Uint8Array(plain))
  } catch {
    throw new WrongPasswordError()
  }
}
