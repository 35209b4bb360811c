import type { Manifest } from './manifest.ts'

/** Prints the short status table `pnpm dev` shows once the stack is up. */
export function printStatus(manifest: Manifest, path: string, ms: number) {
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
    ['Rollup node (L2)', `${manifest.rollup.rpcUrl}  chain ${manifest.rollup.chainId}, batches → inbox (blobs) + IPFS`],
    ['Rollup inbox', manifest.contracts.rollupInbox],
    ['Rollup inbox factory (per-agent inboxes)', manifest.contracts.rollupInboxFactory],
    ...Object.entries(manifest.services),
    ['Manifest', path],
  ]
  const width = Math.max(...rows.map(([k]) => k.length))
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)
  console.log(`\nSeed local stack is up (${(ms / 1000).toFixed(1)} s)\n${lines.join('\n')}\n\nPress Ctrl-C to stop.`)
}
