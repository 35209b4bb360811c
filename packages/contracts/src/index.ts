export * from './bridge/index.ts'
export * from './deterministic.ts'
export * from './generated/index.ts'
