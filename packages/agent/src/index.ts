/** @seed/agent: the Node side of a paired agent — its bridge, the capability API client, the MCP server. */
export type * from './api.ts'
export { type Bridge, type BridgeParameters, startBridge } from './bridge.ts'
export { createSeedAgent, type Invoke } from './client.ts'
export { SeedAgentError } from './errors.ts'
export { defaultHome, type Identity, loadIdentity, saveIdentity } from './identity.ts'
export { createSeedMcpServer, serveHttp, serveStdio } from './mcp.ts'
