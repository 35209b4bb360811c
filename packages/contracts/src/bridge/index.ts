/** The bridge's typed actions (docs/decisions/0700): they read L1 and build calls; sending is the caller's. */
export * from './challenge.ts'
export * from './config.ts'
export * from './constants.ts'
export * from './deposit.ts'
export * from './errors.ts'
export * from './escape.ts'
export type * from './types.ts'
export * from './withdrawal.ts'
