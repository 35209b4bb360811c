/**
 * AccountService on @seed/aa: the owner key is encrypted at rest by aa's vault (in
 * chrome.storage.local), the smart account is aa's SeedAccount (ERC-1271 + ERC-6492 signatures),
 * and user ops go through aa's sendCalls. The unlocked key sits in chrome.storage.session (memory
 * only, trusted contexts only) so a restarted service worker stays unlocked until auto-lock.
 */
import { createAgentAccount, createVault, type KeyValueStorage, UserOperationRevertedError } from '@seed/aa'
import { RollupInboxFactoryAbi } from '@seed/contracts'
import { type Address, type Hex, http, zeroAddress } from 'viem'
import {
  createBundlerClient,
  formatUserOperationRequest,
  getUserOperationHash,
  type RpcUserOperation,
  type UserOperation,
} from 'viem/account-abstraction'
import { privateKeyToAccount, privateKeyToAddress } from 'viem/accounts'
import { getDevnetConfig } from '../../core/config.ts'
import { ProviderRpcError } from '../../core/errors.ts'
import type { AccountInfo, AccountService, Call, L2TransactionRequest } from '../../core/services.ts'
import { keyValueStorage, type SignedUserOp, stored } from '../../core/storage.ts'
import { AUTOLOCK_AT_ALARM, autoLockMinutes, idleExpired, lockNow, scheduleAutoLock } from './autolock.ts'
import { l1Client } from './clients.ts'
import { batcherKeyOf, rollupAccountKeyOf } from './derived-keys.ts'

export class LockedError extends ProviderRpcError {
  constructor() {
    super(4100, 'The wallet is locked: unlock it in the Seed extension.')
  }
}

const local = keyValueStorage('local')

/**
 * The vault's storage seam on the local area. Values are stored as JSON text: chrome.storage
 * re-orders object keys, and the vault authenticates its header by its JSON serialization.
 */
const vaultStorage: KeyValueStorage = {
  async get<T>(key: string) {
    const raw = await local.get<string>(key)
    return raw === undefined ? undefined : (JSON.parse(raw) as T)
  },
  set: (key, value) => local.set(key, JSON.stringify(value)),
  delete: (key) => local.delete(key),
}

const vault = () => createVault(vaultStorage, { name: 'owner' })

/**
 * A use postpones auto-lock only once it moves the deadline by more than this share of the period: a
 * burst of signatures (an agent paying x402 resources) costs one session write and one alarm, not one
 * each, and the wallet locks at most 5% of the period before the last use would have it lock.
 */
const POSTPONE_SHARE = 0.05

/**
 * The unlocked key, unless the wallet is locked or has idled past its auto-lock (then it locks now).
 * A use counts as activity (postpones auto-lock) unless `touch` is false: the wallet's own
 * housekeeping (batcher top-ups) must not keep an unattended wallet unlocked.
 */
async function unlockedKey({ touch = true } = {}): Promise<Hex> {
  const session = await stored.unlocked.get()
  if (!session) throw new LockedError()
  if (await idleExpired(session.lastActiveAt)) {
    await lockNow()
    throw new LockedError()
  }
  if (!touch) return session.privateKey
  const now = Date.now()
  if (now - session.lastActiveAt > POSTPONE_SHARE * (await autoLockMinutes()) * 60_000) {
    await stored.unlocked.set({ ...session, lastActiveAt: now })
    await scheduleAutoLock(now)
  }
  return session.privateKey
}

async function agentAccount(privateKey: Hex) {
  const config = await getDevnetConfig()
  const known = await stored.account.get()
  return createAgentAccount(await l1Client(), {
    factoryAddress: config.contracts.seedAccountFactory,
    bundlerUrl: config.bundlerUrl,
    owner: privateKeyToAccount(privateKey),
    address: known?.smartAccount,
  })
}

/**
 * The agent's rollup identity (decision 0402): its account (a derived key) and its chain, whose id
 * the RollupInboxFactory derives from the agent's inbox and registers (rollup-lite SPEC.md §0). The
 * inbox need not exist yet: its address and id are known before "Start batching" creates it.
 */
async function rollupIdentity(privateKey: Hex, smartAccount: Address) {
  const factory = (await getDevnetConfig()).contracts.rollupInboxFactory as Address | undefined
  if (!factory) throw new Error('This network has no RollupInboxFactory, so the agent has no rollup chain id.')
  const l1 = await l1Client()
  const batcher = privateKeyToAddress(batcherKeyOf(privateKey))
  const read = <F extends 'inboxOf' | 'chainIdOf' | 'predictInbox' | 'predictChainId'>(
    functionName: F,
    args: readonly unknown[],
  ) =>
    l1.readContract({ address: factory, abi: RollupInboxFactoryAbi, functionName, args } as never) as Promise<unknown>
  let inbox = (await read('inboxOf', [smartAccount])) as Address
  let chainId: bigint
  if (inbox !== zeroAddress) {
    chainId = (await read('chainIdOf', [inbox])) as bigint // an imported vault keeps its chain
  } else {
    inbox = (await read('predictInbox', [smartAccount, batcher])) as Address
    chainId = (await read('predictChainId', [smartAccount, batcher])) as bigint
  }
  return {
    rollupAccount: privateKeyToAddress(rollupAccountKeyOf(privateKey)),
    rollup: { chainId: Number(chainId), inbox },
  }
}

async function startSession(privateKey: Hex) {
  await chrome.storage.session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' })
  const lastActiveAt = Date.now()
  await stored.unlocked.set({ privateKey, lastActiveAt })
  await scheduleAutoLock(lastActiveAt)
}

async function privateKeyOf(password: string): Promise<Hex> {
  const secret = await vault().exportSecret(password)
  if (secret.kind !== 'privateKey') throw new Error('The vault holds a mnemonic; this wallet expects a key.')
  return secret.privateKey
}

/** Whether the wallet has its owner key (one vault for every network; decision 0430). */
export const hasVault = () => vault().exists()

/**
 * The agent's account on the active network, recorded the first time the wallet uses that network
 * (decision 0430): its smart account and rollup chain come from Seed's factories there, so a
 * network without them (not deployed yet: decision 0431) has no account until they are.
 */
async function networkAccount(key: Hex): Promise<AccountInfo> {
  const known = await stored.account.get()
  if (known?.rollupAccount) return known
  const smartAccount = known?.smartAccount ?? (await agentAccount(key)).address
  // Stored before each agent had its own rollup chain, or new on this network: its chain is derived now.
  const info: AccountInfo = {
    smartAccount,
    owner: privateKeyToAccount(key).address,
    ...(await rollupIdentity(key, smartAccount)),
  }
  await stored.account.set(info)
  return info
}

/** Records the agent's account on the active network now that the wallet is unlocked (after a switch or a deployment). */
export async function ensureNetworkAccount(): Promise<AccountInfo> {
  return networkAccount(await unlockedKey({ touch: false }))
}

export const seedAccountService: AccountService = {
  async create({ password, privateKey }) {
    const v = vault()
    if (privateKey) await v.import({ password, privateKey })
    else await v.create({ password, kind: 'privateKey' })
    const key = await privateKeyOf(password)
    await startSession(key)
    // On a network without Seed's contracts the vault exists all the same: the networks screen deploys them.
    return networkAccount(key).catch(() => undefined)
  },
  async unlock(password) {
    if (!(await hasVault())) throw new Error('No vault: create or import an account first.')
    const key = await privateKeyOf(password)
    await startSession(key)
    // On a network without Seed's contracts (or unreachable) the wallet unlocks all the same.
    return networkAccount(key).catch(() => stored.account.get())
  },
  async lock() {
    await stored.unlocked.remove()
    await chrome.alarms.clear(AUTOLOCK_AT_ALARM)
  },
  async info() {
    return stored.account.get()
  },
  async isUnlocked() {
    const session = await stored.unlocked.get()
    if (!session) return false
    if (!(await idleExpired(session.lastActiveAt))) return true
    await lockNow()
    return false
  },
  async sendCalls(calls: readonly Call[]) {
    const op = await signUserOperation(calls)
    await submitUserOperation(op)
    return waitForUserOperation(op.userOpHash)
  },
  async signMessage(message) {
    return (await agentAccount(await unlockedKey())).account.signMessage({ message })
  },
  async signTypedData(typedData) {
    return (await agentAccount(await unlockedKey())).account.signTypedData(typedData as never)
  },
  async signRollupMessage(message) {
    return privateKeyToAccount(rollupAccountKeyOf(await unlockedKey())).signMessage({ message })
  },
  async signRollupTypedData(typedData) {
    return privateKeyToAccount(rollupAccountKeyOf(await unlockedKey())).signTypedData(typedData as never)
  },
  async signL2Transaction(tx: L2TransactionRequest) {
    return privateKeyToAccount(rollupAccountKeyOf(await unlockedKey())).signTransaction({ type: 'eip1559', ...tx })
  },
}

/** A user op signed by the owner, in its JSON-RPC form: safe to store and to re-send (same nonce, same hash). */
export type { SignedUserOp }

/**
 * The most a user op can cost in fees: every gas limit it carries (call, verification,
 * preVerificationGas, paymaster verification and postOp) at its maxFeePerGas.
 */
export function userOpFee(userOp: RpcUserOperation<'0.7'>) {
  const limits = [
    userOp.callGasLimit,
    userOp.verificationGasLimit,
    userOp.preVerificationGas,
    userOp.paymasterVerificationGasLimit,
    userOp.paymasterPostOpGasLimit,
  ]
  const gas = limits.reduce<bigint>((sum, limit) => sum + (limit ? BigInt(limit) : 0n), 0n)
  return { gas, maxFeePerGas: BigInt(userOp.maxFeePerGas) }
}

/** The fee the bundler would ask for these calls now (prepared, not signed): what the approval shows. */
export async function estimateUserOperationFee(calls: readonly Call[]) {
  const agent = await agentAccount(await unlockedKey({ touch: false }))
  const prepared = (await agent.bundler.prepareUserOperation({
    account: agent.account,
    calls: calls as Call[],
  } as never)) as unknown as UserOperation<'0.7'>
  return userOpFee(formatUserOperationRequest(prepared) as RpcUserOperation<'0.7'>)
}

/**
 * The fee a user op for these calls would carry at most, estimated as if the account held plenty:
 * an empty new account's own estimate fails, yet the Fund screen must say what it needs (decision 0432).
 */
export async function estimateUnfundedUserOperationFee(calls: readonly Call[]) {
  const agent = await agentAccount(await unlockedKey({ touch: false }))
  const prepared = (await agent.bundler.prepareUserOperation({
    account: agent.account,
    calls: calls as Call[],
    stateOverride: [{ address: agent.address, balance: UNFUNDED_ESTIMATE_BALANCE }],
  } as never)) as unknown as UserOperation<'0.7'>
  return userOpFee(formatUserOperationRequest(prepared) as RpcUserOperation<'0.7'>)
}

/** What an estimate pretends the account holds: far more than any call of the wallet's own sends. */
const UNFUNDED_ESTIMATE_BALANCE = 10n ** 24n

/** Prepares (nonce, gas, fees) and signs a user op for the calls, without sending it. */
export async function signUserOperation(calls: readonly Call[], { touch = true } = {}): Promise<SignedUserOp> {
  return signUserOperationAs(await agentAccount(await unlockedKey({ touch })), calls)
}

/**
 * The account as a session key of it sees it (an ERC-7715 grant, decision 0208): its ops are
 * `executeAsSession(key, calls)`, scoped on-chain. Needs no unlocked owner key.
 */
export async function sessionAgentAccount(sessionKey: Hex) {
  const config = await getDevnetConfig()
  const info = await stored.account.get()
  if (!info) throw new ProviderRpcError(4100, 'No account yet: open the Seed extension to create one.')
  return createAgentAccount(await l1Client(), {
    factoryAddress: config.contracts.seedAccountFactory,
    bundlerUrl: config.bundlerUrl,
    sessionKey: privateKeyToAccount(sessionKey),
    ownerAddress: info.owner,
    address: info.smartAccount,
  })
}

/** Prepares and signs a user op for the calls with `agent`'s signer (the owner, or a session key). */
export async function signUserOperationAs(
  agent: Awaited<ReturnType<typeof createAgentAccount>>,
  calls: readonly Call[],
): Promise<SignedUserOp> {
  const prepared = (await agent.bundler.prepareUserOperation({
    account: agent.account,
    calls: calls as Call[],
  } as never)) as unknown as UserOperation<'0.7'>
  const signature = await agent.account.signUserOperation(prepared as never)
  const userOperation = { ...prepared, signature }
  const { address: entryPoint, version } = agent.account.entryPoint
  return {
    userOp: formatUserOperationRequest(userOperation) as RpcUserOperation<'0.7'>,
    userOpHash: getUserOperationHash({
      userOperation,
      chainId: (await getDevnetConfig()).l1.chainId,
      entryPointAddress: entryPoint,
      entryPointVersion: version,
    }),
    entryPoint,
  }
}

async function bundler() {
  const config = await getDevnetConfig()
  return createBundlerClient({ client: await l1Client(), transport: http(config.bundlerUrl), pollingInterval: 100 })
}

export async function submitUserOperation(op: SignedUserOp): Promise<Hex> {
  return (await bundler()).request({ method: 'eth_sendUserOperation', params: [op.userOp, op.entryPoint] })
}

/** Waits for the op's receipt (it carries the bundle tx hash); throws if the calls reverted. */
export async function waitForUserOperation(userOpHash: Hex, timeout = 120_000) {
  const receipt = await (await bundler()).waitForUserOperationReceipt({ hash: userOpHash, timeout })
  if (!receipt.success) throw new UserOperationRevertedError(receipt)
  return {
    userOpHash,
    transactionHash: receipt.receipt.transactionHash,
    success: receipt.success,
    actualGasCost: receipt.actualGasCost,
  }
}
