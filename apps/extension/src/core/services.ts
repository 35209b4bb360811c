/**
 * The two seams the extension depends on, so the background does not care who implements them:
 * the account (vault + ERC-4337 smart account; @seed/aa once merged) and the rollup node (runs in
 * a Worker inside the offscreen document; @seed/rollup-lite once merged).
 */
import type { Address, Hex, TypedDataDefinition } from 'viem'
import type { AccountRecord } from './records.ts'

export type Call = { to: Address; value?: bigint; data?: Hex }

export type AccountInfo = AccountRecord

export type SentUserOp = { userOpHash: Hex; transactionHash: Hex; success: boolean }

export interface AccountService {
  /** Creates (or imports) the owner key, encrypts it with the password, and unlocks. */
  create(params: { password: string; privateKey?: Hex }): Promise<AccountInfo>
  unlock(password: string): Promise<AccountInfo>
  lock(): Promise<void>
  info(): Promise<AccountInfo | undefined>
  isUnlocked(): Promise<boolean>
  /** Sends calls as one user operation through the bundler and waits for its inclusion. */
  sendCalls(calls: readonly Call[]): Promise<SentUserOp>
  /** ERC-1271 signature (ERC-6492-wrapped while the account is counterfactual). */
  signMessage(message: { raw: Hex } | string): Promise<Hex>
  signTypedData(typedData: TypedDataDefinition): Promise<Hex>
  /** EIP-191 signature by the rollup account, the account the rollup sees (decision 0401). */
  signRollupMessage(message: { raw: Hex } | string): Promise<Hex>
  /** EIP-712 signature by the rollup account (an agent paying on the rollup, decision 0602). */
  signRollupTypedData(typedData: TypedDataDefinition): Promise<Hex>
  /** Signs a serialized L2 (EOA) transaction with the rollup account's key (decision 0401). */
  signL2Transaction(tx: L2TransactionRequest): Promise<Hex>
}

export type L2TransactionRequest = {
  chainId: number
  nonce: number
  /** Absent for a contract creation. */
  to?: Address
  value: bigint
  data?: Hex
  gas: bigint
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
}

export type RollupStatus = {
  chainId: number
  head: number
  /** Highest block committed to IndexedDB (blocks above it are sealed but not yet on disk). */
  persistedHead: number
  pendingTxs: number
  /** The last batch posted to L1 (a blob tx) and pinned to IPFS, once a batcher runs. */
  lastBatch?: {
    blobTxHash: Hex
    cid?: string
    l2BlockEnd?: number
    index?: number
    firstBlock?: number
    /** When the inbox accepted it (ms since epoch). */
    at?: number
  }
  /** The agent's own inbox and batcher (decision 0405), once batching is set up. */
  batching?: {
    inbox: Address
    batcher: Address
    batcherBalanceEth?: string
    batches: number
    lastEvent?: string
    topUp?: BatcherTopUpView
  }
}

/** The batcher's automatic top-up (decision 0416), for the rollup screen. */
export type BatcherTopUpView = {
  /** Below this the background refills the batcher. */
  lowBalanceEth: string
  last?: {
    amountEth: string
    at: number
    status: 'signed' | 'submitted' | 'confirmed' | 'failed'
    transactionHash?: Hex
    error?: string
  }
  /** Set while the balance is low: what happens next, or why not (locked, refused by policy). */
  status?: string
}

export interface RollupService {
  chainId(): Promise<number>
  /** Any JSON-RPC method the rollup node answers (eth_*, rollup_*). */
  request(method: string, params?: readonly unknown[]): Promise<unknown>
  status(): Promise<RollupStatus>
}
