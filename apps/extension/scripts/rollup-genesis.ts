/**
 * Prints an agent's embedded-rollup genesis JSON (what `rollup-lite verify --genesis` needs to
 * re-derive its chain), from the chain id, inbox and rollup account its wallet shows:
 * `tsx apps/extension/scripts/rollup-genesis.ts --chain-id <n> --inbox <address> --account <address> [--dev]`.
 */
import { parseArgs } from 'node:util'
import { isAddress } from 'viem'
import { embeddedGenesisJson } from '../src/rollup/genesis.ts'
import { devnetConfigFromManifest } from './devnet-config.ts'

const HELP = `Usage: tsx apps/extension/scripts/rollup-genesis.ts --chain-id <n> --inbox <address> --account <address> [--dev]

Prints the genesis JSON of an agent's embedded rollup (the wallet's home screen shows these values).

Options:
  --chain-id <n>       The agent's rollup chain id
  --inbox <address>    The agent's L1 RollupInbox (named by the genesis bridge predeploy)
  --account <address>  The agent's rollup account (funded at genesis only with --dev)
  --dev                The extension was built with the dev flag (the rollup account and the devnet's dev
                       accounts funded at genesis; without it the genesis funds nobody)
  -h, --help           Show this help`

const { values } = parseArgs({
  options: {
    'chain-id': { type: 'string' },
    inbox: { type: 'string' },
    account: { type: 'string' },
    dev: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help) {
  console.log(HELP)
  process.exit(0)
}
const chainId = Number(values['chain-id'])
const { account, inbox } = values
if (!Number.isSafeInteger(chainId) || chainId <= 0 || !account || !isAddress(account) || !inbox || !isAddress(inbox)) {
  console.error(HELP)
  process.exit(2)
}
// As the wallet: a dev-flagged build funds the rollup account and the dev keys, any other build nobody.
const funded = values.dev
  ? [account, ...(devnetConfigFromManifest(undefined, { devRollupAccounts: true })?.rollup?.devFunded ?? [])]
  : []
console.log(JSON.stringify(embeddedGenesisJson({ chainId, inbox, funded }), null, 2))
