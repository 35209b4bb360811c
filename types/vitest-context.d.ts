// What the integration/e2e global setup hands to tests through `inject()`.
import type { Manifest } from '../packages/devnet/src/manifest.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    manifest: Manifest
  }
}
