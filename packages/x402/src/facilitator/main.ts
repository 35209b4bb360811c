/**
 * Facilitator process entry (the devnet starts it: packages/devnet/src/x402.ts).
 * Config from the environment, so no secret lands on a command line:
 *   SEED_FACILITATOR_KEY     settlement key (hex)
 *   SEED_FACILITATOR_CONFIG  JSON {port, networks: [{chainId, rpcUrl, name?}], eip6492AllowedFactories?: []}
 */
import type { Address, Hex } from 'viem'
import { createFacilitator, type FacilitatorNetwork } from './createFacilitator.ts'
import { startFacilitatorServer } from './server.ts'

type Config = {
  port?: number
  networks: FacilitatorNetwork[]
  eip6492AllowedFactories?: Address[]
  claimIntervalMs?: number
}

const USAGE = `Usage: SEED_FACILITATOR_KEY=0x… SEED_FACILITATOR_CONFIG='{…}' tsx packages/x402/src/facilitator/main.ts

Runs the x402 facilitator (/verify, /settle, /supported, channel vouchers) and prints
"x402 facilitator <address> serving <networks> at <url>" when it listens. Configured from the environment, so no secret lands on a
command line:
  SEED_FACILITATOR_KEY     the key that pays for settlements (hex)
  SEED_FACILITATOR_CONFIG  JSON {port?, networks: [{chainId, rpcUrl, name?, channelContract?}],
                           eip6492AllowedFactories?: [address], claimIntervalMs?}
\`pnpm dev\` starts it with the devnet's values.`

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE)
  process.exit(0)
}
const key = process.env.SEED_FACILITATOR_KEY as Hex | undefined
const raw = process.env.SEED_FACILITATOR_CONFIG
if (!key || !raw) {
  console.error(`SEED_FACILITATOR_KEY and SEED_FACILITATOR_CONFIG must be set\n\n${USAGE}`)
  process.exit(2)
}
const config = JSON.parse(raw) as Config
const { facilitator, address, networks, claimChannels } = createFacilitator({
  privateKey: key,
  networks: config.networks,
  eip6492AllowedFactories: config.eip6492AllowedFactories,
})
const server = await startFacilitatorServer(facilitator, { port: config.port, claim: claimChannels })
// Vouchers pile up off chain; claim them periodically (one transaction per channel, whatever the count).
let claiming = false
const timer = setInterval(() => {
  if (claiming) return
  claiming = true
  claimChannels()
    .then((txs) => txs.length && console.log(`claimed ${txs.length} channel(s): ${txs.join(', ')}`))
    .catch((error) => console.error(`channel claim failed: ${(error as Error).message}`))
    .finally(() => {
      claiming = false
    })
}, config.claimIntervalMs ?? 10_000)
timer.unref()
console.log(`x402 facilitator ${address} serving ${networks.join(', ')} at ${server.url}`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void server.close().then(() => process.exit(0)))
}
