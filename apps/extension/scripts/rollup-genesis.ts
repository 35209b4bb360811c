/**
 * Prints the embedded rollup's genesis JSON for the current devnet manifest (what `rollup-lite
 * verify --genesis` needs to re-derive an agent's chain): `tsx apps/extension/scripts/rollup-genesis.ts`.
 */
import { embeddedGenesisJson } from '../src/rollup/genesis.ts'
import { devnetConfigFromManifest } from './devnet-config.ts'

const config = devnetConfigFromManifest()
if (!config) {
  console.error('no devnet manifest: start the stack with `pnpm dev` (or set SEED_MANIFEST)')
  process.exit(1)
}
console.log(JSON.stringify(embeddedGenesisJson(config.rollup), null, 2))
