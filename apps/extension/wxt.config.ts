import react from '@vitejs/plugin-react'
import { defineConfig } from 'wxt'
import { devnetConfigFromManifest } from './scripts/devnet-config.ts'

// The devnet config (RPC, chain id, bundler, addresses) is baked in at build time from the devnet
// manifest (`SEED_MANIFEST` or .seed/devnet.json); null when no devnet has been started yet.
// SEED_DEV_ROLLUP_ACCOUNTS=1 is the explicit dev flag of decision 0402 (tests only).
const devnet = devnetConfigFromManifest(undefined, { devRollupAccounts: process.env.SEED_DEV_ROLLUP_ACCOUNTS === '1' })

export default defineConfig({
  srcDir: 'src',
  outDir: process.env.SEED_EXT_OUT_DIR ?? '.output',
  // No auto-imports (explicit imports only). `imports: false` still runs unimport's transform in WXT
  // 0.21 (it rewrote `storage` in @seed/aa), so exclude every file instead.
  // (`exclude` is read by unimport's Vite plugin; WXT's type does not list it.)
  imports: { exclude: [/./] } as Record<string, unknown>,
  vite: () => ({
    plugins: [react()],
    define: { __SEED_DEVNET__: JSON.stringify(devnet) },
    build: { chunkSizeWarningLimit: 4000 },
    // ES module Workers: the rollup Worker loads Helia with a dynamic import, only when it batches.
    worker: { format: 'es' as const },
  }),
  manifest: {
    name: 'Seed',
    description: 'Wallet for autonomous agents, with an embedded rollup.',
    permissions: ['storage', 'offscreen', 'alarms', 'tabs'],
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    // Another network's hosts (a public RPC, a hosted bundler): granted by the person on the networks screen.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    web_accessible_resources: [],
  },
})
