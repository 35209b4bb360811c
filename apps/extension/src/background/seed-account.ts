/**
 * AccountService on @seed/aa: the owner key is encrypted at rest by aa's vault (in
 * chrome.storage.local), the smart account is aa's SeedAccount (ERC-1271 + ERC-6492 signatures),
 * and user ops go through aa's sendCalls. The unlocked key sits in chrome.storage.session (memory
 * only, trusted contexts only) so a restarted service worker stays unlocked until auto-lock.
 */
import { createAgentAccount, createVault, executeCalls, type KeyValueStorage } from '@seed/aa'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { getDevnetConfig } from '../core/config.ts'
import { ProviderRpcError } from '../core/errors.ts'
import type { AccountInfo, AccountService, Call, L2TransactionRequest } from '../core/services.ts'
import { read, remove, write } from '../core/storage.ts'
import { l1Client } from './clients.ts'

export class LockedError extends ProviderRpcError {
  constructor() {
    super(4100, 'The wallet is locked: unlock it in the Seed extension.')
  }
}

/**
 * aa's storage seam on chrome.storage.local. Values are stored as JSON text: chrome.storage
 * re-orders object keys, and the vault authenticates its header by its JSON serialization.
 */
const chromeStorage: KeyValueStorage = {
  async get<T>(key: string) {
    const raw = (await chrome.storage.local.get(key))[key] as string | undefined
    return raw === undefined ? undefined : (JSON.parse(raw) as T)
  },
  async set(key, value) {
    await chrome.storage.local.set({ [key]: JSON.stringify(value) })
  },
  async delete(key) {
    await chrome.storage.local.remove(key)
  },
}

const vault = () => createVault(chromeStorage, { name: 'owner' })

async function unlockedKey(): Promise<Hex> {
  const session = await read('session', 'unlocked')
  if (!session) throw new LockedError()
  await write('session', 'unlocked', { ...session, lastActiveAt: Date.now() })
  return session.privateKey
}

async function agentAccount(privateKey: Hex) {
  const config = await getDevnetConfig()
  const known = await read('local', 'account')
  return createAgentAccount(await l1Client(), {
    factoryAddress: config.contracts.seedAccountFactory,
    bundlerUrl: config.bundlerUrl,
    owner: privateKeyToAccount(privateKey),
    address: known?.smartAccount,
  })
}

async function startSession(privateKey: Hex) {
  await chrome.storage.session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' })
  await write('session', 'unlocked', { privateKey, lastActiveAt: Date.now() })
}

async function privateKeyOf(password: string): Promise<Hex> {
  const secret = await vault().exportSecret(password)
  if (secret.kind !== 'privateKey') throw new Error('The vault holds a mnemonic; this wallet expects a key.')
  return secret.privateKey
}

export const seedAccountService: AccountService = {
  async create({ password, privateKey }) {
    const v = vault()
    if (privateKey) await v.import({ password, privateKey })
    else await v.create({ password, kind: 'privateKey' })
    const key = await privateKeyOf(password)
    const agent = await agentAccount(key)
    const info: AccountInfo = { smartAccount: agent.address, owner: privateKeyToAccount(key).address }
    await write('local', 'account', info)
    await startSession(key)
    return info
  },
  async unlock(password) {
    const info = await read('local', 'account')
    if (!info) throw new Error('No vault: create or import an account first.')
    await startSession(await privateKeyOf(password))
    return info
  },
  async lock() {
    await remove('session', 'unlocked')
  },
  async info() {
    return read('local', 'account')
  },
  async isUnlocked() {
    return (await read('session', 'unlocked')) !== undefined
  },
  async sendCalls(calls: readonly Call[]) {
    const agent = await agentAccount(await unlockedKey())
    const receipt = await executeCalls(agent, { calls, paymaster: false })
    return {
      userOpHash: receipt.userOpHash,
      transactionHash: receipt.receipt.transactionHash,
      success: receipt.success,
    }
  },
  async signMessage(message) {
    return (await agentAccount(await unlockedKey())).account.signMessage({ message })
  },
  async signTypedData(typedData) {
    return (await agentAccount(await unlockedKey())).account.signTypedData(typedData as never)
  },
  async signMessageAsOwner(message) {
    return privateKeyToAccount(await unlockedKey()).signMessage({ message })
  },
  async signL2Transaction(tx: L2TransactionRequest) {
    return privateKeyToAccount(await unlockedKey()).signTransaction({ type: 'eip1559', ...tx })
  },
}
