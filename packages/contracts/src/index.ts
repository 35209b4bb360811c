export * from './bridge/index.ts'
export * from './deterministic.ts'
export * from './erc8004/index.ts'
export * from './generated/index.ts'
