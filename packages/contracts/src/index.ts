export * from './deterministic.ts'
export * from './generated/index.ts'
