/** The output watcher: challenges outputs it cannot reproduce, follows rollbacks, answers validation requests. */
export * from './challenge-mismatch.ts'
export * from './validation.ts'
export type * from './verdict.ts'
export { verdictJson } from './verdict.ts'
export * from './watch-outputs.ts'
