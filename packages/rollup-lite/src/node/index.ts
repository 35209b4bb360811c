/** Node-only entry: durable LevelDB store, the HTTP/WS server, replicas. */

// The IPFS peer the devnet runs (Helia), for operators that pin batches (`seed-operator run` on a pin bounty).
export { type IpfsPeer, startIpfsPeer } from '../ipfs/peer.ts'
export { cidFromHex } from '../protocol/codec/cid.ts'
// Replicas (SPEC.md §12): what `rollup-lite node --follow` runs, for operators embedding it.
export {
  FOLLOW_HELP,
  type FollowCliValues,
  type Follower,
  startFollower,
} from '../replica/cli.ts'
export { type Replica, type ReplicaEvent, type ReplicaOptions, startReplica } from '../replica/follow.ts'
export { forwardToSequencer, noSequencerRpc } from '../replica/forward.ts'
export { type BlockGossip, startBlockGossip } from '../replica/gossip.ts'
export { publishUnsafeBlocks } from '../replica/publisher.ts'
export { openLevelKv } from '../state/level-kv.ts'
export { loadNodeCrypto, nativeEcdsaRecover } from './native-crypto.ts'
export { createRecoverPool } from './recover-pool.ts'
export { type NodeCliOptions, startNodeFromCli } from './run.ts'
export { type RpcServer, startRpcServer } from './server.ts'
