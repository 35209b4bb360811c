/**
 * Facilitator process entry (the devnet starts it: packages/devnet/src/x402.ts).
 * Config from the environment, so no secret lands on a command line (USAGE below).
 */
import type { Address, Hex } from 'viem'
import { createFileVoucherStore } from '../channel/fileVoucherStore.ts'
import { createFacilitator, type FacilitatorNetwork } from './createFacilitator.ts'
import { startFacilitatorServer } from './server.ts'

type Config = {
  port?: number
  networks: FacilitatorNetwork[]
  eip6492AllowedFactories?: Address[]
  claimIntervalMs?: number
  /** Where accepted channel vouchers are kept until claimed (required when a network has a channel contract). */
  voucherFile?: string
  /** Channel scheme bounds: close-delay floor (seconds), a contract payer's unclaimed total (base units). */
  minCloseDelay?: string
  contractPayerMaxUnclaimed?: string
}

const USAGE = `Usage: SEED_FACILITATOR_KEY=0x… SEED_FACILITATOR_CONFIG='{…}' tsx packages/x402/src/facilitator/main.ts

Runs the x402 facilitator (/verify, /settle, /supported, channel vouchers) and prints
"x402 facilitator <address> serving <networks> at <url>" when it listens. Configured from the environment, so no secret lands on a
command line:
  SEED_FACILITATOR_KEY     the key that pays for settlements (hex)
  SEED_FACILITATOR_CONFIG  JSON {port?, networks: [{chainId, rpcUrl, name?, channelContract?}],
                           eip6492AllowedFactories?: [address], claimIntervalMs?, voucherFile?,
                           minCloseDelay? (s, default 3600), contractPayerMaxUnclaimed? (default 1000000)}
  SEED_FACILITATOR_ADMIN_TOKEN  bearer token for POST /claim (16+ characters; without it /claim is off)
Accepted channel vouchers are written to voucherFile before the seller is answered, and claimed at start-up.
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
if (config.networks.some((n) => n.channelContract) && !config.voucherFile) {
  console.error('a network with a channelContract needs "voucherFile": accepted vouchers must survive a restart')
  process.exit(2)
}
const seed = createFacilitator({
  privateKey: key,
  networks: config.networks,
  eip6492AllowedFactories: config.eip6492AllowedFactories,
  channels: {
    store: config.voucherFile ? createFileVoucherStore(config.voucherFile) : undefined,
    minCloseDelay: config.minCloseDelay ? BigInt(config.minCloseDelay) : undefined,
    contractPayerMaxUnclaimed: config.contractPayerMaxUnclaimed ? BigInt(config.contractPayerMaxUnclaimed) : undefined,
  },
})
const { facilitator, address, networks, claimChannels } = seed
const logError = (error: Error) => console.error(`channel claim failed: ${error.message}`)
// Before serving: vouchers accepted by the previous run are restored (never accepted twice) and claimed.
const channels = await seed.start({ onError: logError })
const token = process.env.SEED_FACILITATOR_ADMIN_TOKEN
const server = await startFacilitatorServer(facilitator, {
  port: config.port,
  admin: token ? { token, claim: claimChannels } : undefined,
})
// Vouchers pile up off chain; claim them periodically (one transaction per channel, whatever the count).
let claiming = false
const timer = setInterval(() => {
  if (claiming) return
  claiming = true
  claimChannels()
    .then((txs) => txs.length && console.log(`claimed ${txs.length} channel(s): ${txs.join(', ')}`))
    .catch(logError)
    .finally(() => {
      claiming = false
    })
}, config.claimIntervalMs ?? 10_000)
timer.unref()
console.log(`x402 facilitator ${address} serving ${networks.join(', ')} at ${server.url}`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    channels.stop()
    void server.close().then(() => process.exit(0))
  })
}
