export {
  type AttachBatcherOptions,
  attachBatcher,
  attachBatcherFromConfig,
  type WorkerBatcherConfig,
} from './batch/attach.ts'
export type { Batcher, BatcherEvent } from './batch/batcher.ts'
export { nodeMessagePasserStorageRoot } from './batch/node-source.ts'
export type { BatchPolicy } from './batch/policy.ts'
export { decodeBlock, encodeBlock, headerFromFields, headerToFields } from './chain/codec.ts'
export { loadCrypto } from './chain/crypto.ts'
export { RpcCodes, RpcError } from './chain/errors.ts'
export { kzg } from './chain/kzg.ts'
export type { Genesis, GenesisAccount, RollupHeader, SealedBlock, StoredLog, StoredReceipt } from './chain/types.ts'
export { createRollupNode, type RollupNode, type RollupNodeOptions } from './create-node.ts'
export * from './derive/challenger/index.ts'
export { type DeriveOptions, type DeriveResult, deriveChain } from './derive/derive.ts'
export { createReplayExecutor, type DerivationExecutor } from './derive/replay.ts'
export { GenesisMismatchError } from './exec/genesis.ts'
// L2 definitions of the bridge (SPEC.md §10), shared with the L1 contracts' tests and the wallet.
export { ALIAS_OFFSET, applyL1ToL2Alias, undoL1ToL2Alias } from './protocol/bridge/aliasing.ts'
export {
  DEPOSIT_TX_TYPE,
  type Deposit,
  type DepositLog,
  type DepositTransaction,
  decodeDepositLog,
  depositSourceHash,
  depositTransaction,
  depositTransactionHash,
  parseDepositTransaction,
  portalEventsAbi,
  serializeDepositTransaction,
} from './protocol/bridge/deposit.ts'
export { DepositDecodeError } from './protocol/bridge/errors.ts'
export {
  type BridgeActivation,
  depositsForOrigin,
  forceWindowOrigin,
  maxL1Origin,
} from './protocol/bridge/l1-origin.ts'
export { readBridgeActivation, readDeposits } from './protocol/bridge/portal.ts'
export {
  decodeMessagePassedLog,
  L2_STANDARD_BRIDGE,
  L2_TO_L1_MESSAGE_PASSER,
  messagePasserAbi,
  type Withdrawal,
  withdrawalHash,
  withdrawalNonce,
  withdrawalStorageSlot,
} from './protocol/bridge/withdrawal.ts'
export { ROLLUP_CHAIN_ID_BASE, rollupChainIdOf } from './protocol/chain-id.ts'
// Batch codec and derivation (verifier), used by @seed/x402's services and figures.
export { MAX_BLOB_DATA_SIZE } from './protocol/codec/blob.ts'
export { decodeBatch, encodeBatch } from './protocol/codec/channel.ts'
export { bridgeAlloc, devGenesis } from './protocol/genesis-file.ts'
export { l1OriginOf } from './protocol/header.ts'
export {
  type BatchRecord,
  type InboxHead,
  type PostedBatch,
  readBatchRecord,
  readInboxHead,
  readPostedBatch,
  readPostedBatches,
} from './protocol/inbox.ts'
export { messagePasserStorageRoot, outputRoot } from './protocol/output-root.ts'
export type { Batch, BatchBlock } from './protocol/types.ts'
export type { RollupStatus } from './rpc/context.ts'
export type { JsonRpcRequest, JsonRpcResponse, RpcHandler, RpcSession } from './rpc/handler.ts'
export {
  deferredDepositSource,
  type L1DepositSource,
  portalDepositSource,
} from './sequencer/deposit-feed.ts'
export { openIdbKv } from './state/idb-kv.ts'
export type { KV, KvOp } from './state/kv.ts'
export { memoryKv } from './state/memory-kv.ts'
