/**
 * Seals the batcher key at rest (decision 0406): AES-GCM under a device key that WebCrypto created
 * non-extractable and IndexedDB keeps as a CryptoKey, so the stored bytes are ciphertext and no
 * script can read the wrapping key out — only this extension origin can ask WebCrypto to use it.
 * It is not password-derived on purpose: the batcher must post while the wallet is locked.
 */
import { openDB } from 'idb'
import { bytesToHex, type Hex, hexToBytes } from 'viem'

export type SealedKey = { iv: Hex; data: Hex }

const DB = 'seed-device-keys'
const STORE = 'keys'
const NAME = 'batcher-wrap'
/** WebCrypto wants an ArrayBuffer-backed view. */
const bytes = (hex: Hex) => new Uint8Array(hexToBytes(hex))

async function deviceKey(): Promise<CryptoKey> {
  const db = await openDB(DB, 1, { upgrade: (d) => void d.createObjectStore(STORE) })
  try {
    const existing = (await db.get(STORE, NAME)) as CryptoKey | undefined
    if (existing) return existing
    const fresh = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
    // `add` fails if another caller stored one meanwhile: then that one is the key.
    await db.add(STORE, fresh, NAME).catch(() => {})
    return (await db.get(STORE, NAME)) as CryptoKey
  } finally {
    db.close()
  }
}

export async function sealKey(privateKey: Hex): Promise<SealedKey> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await deviceKey(), bytes(privateKey))
  return { iv: bytesToHex(iv), data: bytesToHex(new Uint8Array(data)) }
}

export async function unsealKey({ iv, data }: SealedKey): Promise<Hex> {
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes(iv) }, await deviceKey(), bytes(data))
  return bytesToHex(new Uint8Array(plain))
}
