export {
  type AttachBatcherOptions,
  attachBatcher,
  attachBatcherFromConfig,
  type WorkerBatcherConfig,
} from './batch/attach.ts'
export type { Batcher, BatcherEvent } from './batch/batcher.ts'
export { outputRoot } from './batch/output-root.ts'
export type { BatchPolicy } from './batch/policy.ts'
export { decodeBlock, encodeBlock, headerFromFields, headerToFields } from './chain/codec.ts'
export { loadCrypto } from './chain/crypto.ts'
export { RpcCodes, RpcError } from './chain/errors.ts'
export { kzg } from './chain/kzg.ts'
export type { Genesis, GenesisAccount, RollupHeader, SealedBlock, StoredLog, StoredReceipt } from './chain/types.ts'
export { createRollupNode, GenesisMismatchError, type RollupNode, type RollupNodeOptions } from './create-node.ts'
export type { RollupStatus } from './rpc/context.ts'
export type { JsonRpcRequest, JsonRpcResponse, RpcHandler, RpcSession } from './rpc/handler.ts'
export { openIdbKv } from './state/idb-kv.ts'
export type { KV, KvOp } from './state/kv.ts'
