import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { bytesToHex, verifyMessage } from 'viem'
import { afterAll, describe, expect, test } from 'vitest'
import { createFileStorage } from '../node/fileStorage.ts'
import { createMemoryStorage } from '../storage.ts'
import { WrongPasswordError } from './envelope.ts'
import { createVault, InvalidSecretError, VaultExistsError, VaultLockedError, WeakPasswordError } from './vault.ts'

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow'
const PASSWORD = 'correct horse battery staple'
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** Every serialisation a secret could escape through. */
function leaks(value: unknown, secrets: string[]): string[] {
  const texts = [inspect(value, { depth: 10, showHidden: true }), String(value)]
  try {
    texts.push(JSON.stringify(value) ?? '')
  } catch {}
  if (value instanceof Error) texts.push(value.message, value.stack ?? '', String(value.cause ?? ''))
  const haystack = texts.join('\n').toLowerCase()
  return secrets.filter((s) => haystack.includes(s.toLowerCase().replace(/^0x/, '')))
}

describe('vault', () => {
  test('imports a mnemonic into a file, round-trips through a new process-like instance, and signs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-vault-'))
    dirs.push(dir)
    const first = createVault(createFileStorage(dir))
    const account = await first.import({ password: PASSWORD, mnemonic: MNEMONIC })
    expect(account.address).toBe('0x58A57ed9d8d624cBD12e2C467D34787555bB1b25')

    // What lands on disk is an envelope: no mnemonic words, no key, no password.
    const files = readdirSync(dir)
    expect(files).toHaveLength(1)
    const onDisk = readFileSync(join(dir, files[0]!), 'utf8')
    expect(onDisk).not.toContain('sausage')
    expect(onDisk).not.toContain(PASSWORD)
    const envelope = JSON.parse(onDisk)
    expect(envelope.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256' })
    expect(envelope.kdf.iterations).toBeGreaterThanOrEqual(600_000)
    expect(envelope.cipher.name).toBe('AES-GCM')

    const second = createVault(createFileStorage(dir))
    expect(second.isUnlocked()).toBe(false)
    expect(() => second.account()).toThrow(VaultLockedError)
    expect(await second.address()).toBe(account.address)
    const unlocked = await second.unlock(PASSWORD)
    expect(unlocked.address).toBe(account.address)
    const signature = await unlocked.signMessage({ message: 'hello' })
    expect(await verifyMessage({ address: account.address, message: 'hello', signature })).toBe(true)
    expect(await second.exportSecret(PASSWORD)).toEqual({ kind: 'mnemonic', mnemonic: MNEMONIC })
    second.lock()
    expect(() => second.account()).toThrow(VaultLockedError)
  })

  test('a wrong password gives WrongPasswordError and leaves the vault locked', async () => {
    const vault = createVault(createMemoryStorage())
    await vault.create({ password: PASSWORD, kind: 'privateKey' })
    vault.lock()
    const error = await vault.unlock('not the password').catch((e) => e)
    expect(error).toBeInstanceOf(WrongPasswordError)
    expect(error.shortMessage).toMatch(/wrong password/i)
    expect(vault.isUnlocked()).toBe(false)
    await expect(vault.exportSecret('not the password')).rejects.toBeInstanceOf(WrongPasswordError)
  })

  test('changing the password re-encrypts: the old one stops working, the key stays the same', async () => {
    const storage = createMemoryStorage()
    const vault = createVault(storage)
    const account = await vault.create({ password: PASSWORD })
    const before = await storage.get<{ kdf: { salt: string } }>('seed.vault.default')
    await vault.changePassword({ oldPassword: PASSWORD, newPassword: 'a much better passphrase' })
    const after = await storage.get<{ kdf: { salt: string } }>('seed.vault.default')
    expect(after!.kdf.salt).not.toBe(before!.kdf.salt)
    await expect(vault.unlock(PASSWORD)).rejects.toBeInstanceOf(WrongPasswordError)
    expect((await vault.unlock('a much better passphrase')).address).toBe(account.address)
  })

  test('refuses to overwrite, weak passwords and invalid secrets', async () => {
    const vault = createVault(createMemoryStorage(), { name: 'session' })
    await expect(vault.create({ password: 'short' })).rejects.toBeInstanceOf(WeakPasswordError)
    await expect(
      vault.import({
        password: PASSWORD,
        mnemonic: 'legal winner thank year wave sausage worth useful legal winner thank thank',
      }),
    ).rejects.toBeInstanceOf(InvalidSecretError)
    await expect(vault.import({ password: PASSWORD, privateKey: '0x1234' })).rejects.toBeInstanceOf(InvalidSecretError)
    await vault.create({ password: PASSWORD })
    await expect(vault.create({ password: PASSWORD })).rejects.toBeInstanceOf(VaultExistsError)
  })

  test('tampering with the authenticated metadata is detected', async () => {
    const storage = createMemoryStorage()
    const vault = createVault(storage)
    await vault.create({ password: PASSWORD })
    const envelope = await storage.get<any>('seed.vault.default')
    envelope.meta.address = '0x0000000000000000000000000000000000000001'
    await storage.set('seed.vault.default', envelope)
    await expect(vault.unlock(PASSWORD)).rejects.toBeInstanceOf(WrongPasswordError)
  })

  test('no key material in logs: vault, accounts and errors serialise without secrets', async () => {
    const vault = createVault(createMemoryStorage())
    const hd = await vault.import({ password: PASSWORD, mnemonic: MNEMONIC })
    const hdKey = bytesToHex((hd as import('viem/accounts').HDAccount).getHdKey().privateKey!)
    const secrets = [MNEMONIC, 'sausage worth', hdKey, PASSWORD]
    expect(leaks(vault, secrets)).toEqual([])
    expect(leaks(hd, secrets)).toEqual([])
    const wrong = await vault.unlock(`${PASSWORD}!`).catch((e) => e)
    expect(leaks(wrong, [...secrets, `${PASSWORD}!`])).toEqual([])
    vault.lock()
    expect(
      leaks(
        await Promise.resolve()
          .then(() => vault.account())
          .catch((e) => e),
        secrets,
      ),
    ).toEqual([])

    const keyVault = createVault(createMemoryStorage())
    const privateKey = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318'
    const pk = await keyVault.import({ password: PASSWORD, privateKey })
    expect(leaks(keyVault, [privateKey])).toEqual([])
    expect(leaks(pk, [privateKey])).toEqual([])
    const invalid = await keyVault
      .import({ password: PASSWORD, privateKey: `${privateKey}00` as never })
      .catch((e) => e)
    expect(leaks(invalid, [privateKey])).toEqual([])
  })
})
