import { defineConfig } from 'vitest/config'

// End-to-end: real Chromium (Debian) against the real devnet. `pnpm test:e2e [filter]`.
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['{packages,apps}/*/{src,test,e2e}/**/*.e2e.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['packages/testkit/src/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
