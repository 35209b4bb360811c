/**
 * The faucet process (the devnet starts it: ./start.ts). Its key comes from the environment, so it
 * never lands on a command line, in the manifest or in a log.
 */
import type { Hex } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { createFaucetServer, type FaucetConfig } from './server.ts'

const USAGE = `Usage: SEED_FAUCET_KEY=0x… SEED_FAUCET_CONFIG='{…}' tsx packages/devnet/src/faucet/main.ts

Runs the devnet faucet on 127.0.0.1: POST /drip {"address": "0x…", "amountEth"?: "0.5"} sends L1 ETH (and
Seed USD) to the address, within per-address and global rate limits; GET /info; GET /health.
  SEED_FAUCET_KEY     the funded key it pays from (hex)
  SEED_FAUCET_CONFIG  JSON {port?, l1: {chainId, rpcUrl}, dripEth?, maxEth?, usd?: {token, amount},
                      limits?: {perAddress: {max, windowMs}, global: {max, windowMs}}}
Prints {"url": …} once it listens. \`pnpm dev\` starts it with the devnet's values.`

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE)
  process.exit(0)
}
const key = process.env.SEED_FAUCET_KEY as Hex | undefined
const raw = process.env.SEED_FAUCET_CONFIG
if (!key || !raw) {
  console.error(`SEED_FAUCET_KEY and SEED_FAUCET_CONFIG must be set\n\n${USAGE}`)
  process.exit(2)
}
const config = JSON.parse(raw) as FaucetConfig & { port?: number }
const server = createFaucetServer(key, config)
server.listen(config.port ?? 0, '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, address: privateKeyToAddress(key) }))
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)))
