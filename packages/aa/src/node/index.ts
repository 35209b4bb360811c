/** Node-only entry (`@seed/aa/node`): file-backed storage. Browser code imports '@seed/aa' only. */
export { createFileStorage } from './fileStorage.ts'
