/**
 * AccountService on permissionless' SimpleAccount (EntryPoint v0.7) owned by the vault-held key.
 * Used until @seed/aa lands; every call rebuilds the account from chrome.storage because the
 * service worker keeps nothing in memory.
 */
import { createSmartAccountClient } from 'permissionless'
import { toSimpleSmartAccount } from 'permissionless/accounts'
import { type Hex, http } from 'viem'
import { createBundlerClient, entryPoint07Address } from 'viem/account-abstraction'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { getDevnetConfig } from '../core/config.ts'
import { ProviderRpcError } from '../core/errors.ts'
import type { AccountInfo, AccountService, Call, L2TransactionRequest } from '../core/services.ts'
import { read, remove, write } from '../core/storage.ts'
import { decryptKey, encryptKey } from '../core/vault.ts'
import { l1Chain, l1Client } from './clients.ts'

export class LockedError extends ProviderRpcError {
  constructor() {
    super(4100, 'The wallet is locked: unlock it in the Seed extension.')
  }
}

async function unlockedKey(): Promise<Hex> {
  const session = await read('session', 'unlocked')
  if (!session) throw new LockedError()
  await write('session', 'unlocked', { ...session, lastActiveAt: Date.now() })
  return session.privateKey
}

async function smartAccount(privateKey: Hex) {
  const config = await getDevnetConfig()
  return toSimpleSmartAccount({
    client: await l1Client(),
    owner: privateKeyToAccount(privateKey),
    factoryAddress: config.contracts.simpleAccountFactoryV07,
    entryPoint: { address: config.contracts.entryPointV07 ?? entryPoint07Address, version: '0.7' },
  })
}

async function smartAccountClient(privateKey: Hex) {
  const config = await getDevnetConfig()
  const client = await l1Client()
  const bundlerTransport = http(config.bundlerUrl)
  const bundler = createBundlerClient({ client, transport: bundlerTransport })
  return createSmartAccountClient({
    account: await smartAccount(privateKey),
    chain: l1Chain(config),
    client,
    bundlerTransport,
    pollingInterval: 100,
    userOperation: {
      // alto's own gas price oracle: the devnet has no paymaster, the account pays its gas.
      estimateFeesPerGas: async () =>
        ((await bundler.request({ method: 'pimlico_getUserOperationGasPrice' } as never)) as any).fast,
    },
  })
}

async function startSession(privateKey: Hex) {
  await chrome.storage.session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' })
  await write('session', 'unlocked', { privateKey, lastActiveAt: Date.now() })
}

export const simpleAccountService: AccountService = {
  async create({ password, privateKey = generatePrivateKey() }) {
    const account = await smartAccount(privateKey)
    const info: AccountInfo = { smartAccount: account.address, owner: privateKeyToAccount(privateKey).address }
    await write('local', 'vault', { ...info, crypto: await encryptKey(privateKey, password) })
    await startSession(privateKey)
    return info
  },
  async unlock(password) {
    const vault = await read('local', 'vault')
    if (!vault) throw new Error('No vault: create or import an account first.')
    await startSession(await decryptKey(vault.crypto, password))
    return { smartAccount: vault.smartAccount, owner: vault.owner }
  },
  async lock() {
    await remove('session', 'unlocked')
  },
  async info() {
    const vault = await read('local', 'vault')
    return vault && { smartAccount: vault.smartAccount, owner: vault.owner }
  },
  async isUnlocked() {
    return (await read('session', 'unlocked')) !== undefined
  },
  async sendCalls(calls: readonly Call[]) {
    const client = await smartAccountClient(await unlockedKey())
    const userOpHash = await client.sendUserOperation({
      calls: calls.map((c) => ({ to: c.to, value: c.value ?? 0n, data: c.data ?? '0x' })),
    })
    const receipt = await client.waitForUserOperationReceipt({ hash: userOpHash, timeout: 60_000 })
    return { userOpHash, transactionHash: receipt.receipt.transactionHash, success: receipt.success }
  },
  async signMessage(message) {
    return (await smartAccount(await unlockedKey())).signMessage({ message })
  },
  async signTypedData(typedData) {
    return (await smartAccount(await unlockedKey())).signTypedData(typedData as never)
  },
  async signMessageAsOwner(message) {
    return privateKeyToAccount(await unlockedKey()).signMessage({ message })
  },
  async signL2Transaction(tx: L2TransactionRequest) {
    const owner = privateKeyToAccount(await unlockedKey())
    return owner.signTransaction({ type: 'eip1559', ...tx })
  },
}
