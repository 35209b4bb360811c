import { SEED_PORTAL, seedAddresses } from '@seed/contracts'
import { devAccount, devPrivateKey } from './accounts.ts'
import type { Manifest } from './manifest.ts'

/** What people call the manifest's service keys. */
const SERVICE_LABELS: Record<string, string> = {
  ipfs: 'IPFS peer (libp2p)',
  ipfsHttp: 'IPFS peer (HTTP API)',
  faucet: 'Faucet (POST /drip {"address"})',
  facilitator: 'x402 facilitator',
  manifest: 'Manifest (served, for the wallet)',
  web: 'Web app',
}

/** Prints the short status table `pnpm dev` shows once the stack is up; `extra` rows go last. */
export function printStatus(manifest: Manifest, path: string, ms: number, extra: [string, string][] = []) {
  const user = devAccount('user')
  // Deterministic (CREATE2) on every chain, so they are not manifest fields of their own.
  const seed = seedAddresses()
  const rows: [string, string][] = [
    ['L1 RPC (anvil)', `${manifest.l1.rpcUrl}  chain ${manifest.l1.chainId}, ${manifest.l1.hardfork}, blobs`],
    ['L1 beacon blobs', `${manifest.l1.beaconUrl}/eth/v1/beacon/blobs/{block}`],
    ['Bundler (alto)', manifest.bundler.url],
    ['EntryPoint v0.7', manifest.contracts.entryPointV07],
    ['EntryPoint v0.8', manifest.contracts.entryPointV08],
    ['SimpleAccountFactory', `${manifest.contracts.simpleAccountFactoryV07} (v0.7)`],
    ['Test token (TST)', manifest.contracts.testToken],
    ['Seed USD / SeedAccountFactory', `${manifest.contracts.usd} / ${manifest.contracts.seedAccountFactory}`],
    ['Paymasters (verifying / USD)', `${manifest.contracts.verifyingPaymaster} / ${manifest.contracts.tokenPaymaster}`],
    [
      'Rollup node (L2)',
      `${manifest.rollup.rpcUrl}  chain ${manifest.rollup.chainId}, batches → inbox (blobs) + IPFS, deposits ← portal`,
    ],
    ['Rollup inbox', manifest.contracts.rollupInbox],
    ['Rollup inbox factory (per-agent inboxes)', manifest.contracts.rollupInboxFactory],
    ['Bridge (portal / L1 standard bridge)', `${SEED_PORTAL} / ${seed.l1StandardBridge}`],
    [
      'ERC-8004 (identity / reputation / validation)',
      `${seed.identityRegistry} / ${seed.reputationRegistry} / ${seed.validationRegistry}`,
    ],
    ...Object.entries(manifest.services).map(([key, url]): [string, string] => [SERVICE_LABELS[key] ?? key, url]),
    // anvil funds its well-known dev accounts with 10,000 ETH: this one is free for the user.
    ['Funded dev account (L1)', `${user.address}  key ${devPrivateKey('user')}`],
    ...extra,
    ['Manifest', path],
  ]
  const width = Math.max(...rows.map(([k]) => k.length))
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)
  console.log(`\nSeed local stack is up (${(ms / 1000).toFixed(1)} s)\n${lines.join('\n')}\n\nPress Ctrl-C to stop.`)
}
