/** Node-only entry: durable LevelDB store and the HTTP/WS server. */
export { openLevelKv } from '../state/level-kv.ts'
export { loadNodeCrypto, nativeEcdsaRecover } from './native-crypto.ts'
export { createRecoverPool } from './recover-pool.ts'
export { type NodeCliOptions, startNodeFromCli } from './run.ts'
export { type RpcServer, startRpcServer } from './server.ts'
