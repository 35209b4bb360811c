/**
 * Deploys the ERC-4337 EntryPoints and SimpleAccountFactories at their canonical addresses
 * (through anvil's CREATE2 deployer), then the project's own contracts.
 */
import { createRequire } from 'node:module'
import { CREATE2_DEPLOYER, ENTRY_POINT_V07 } from '@seed/contracts'
import {
  type Account,
  type Address,
  type Chain,
  concat,
  encodeAbiParameters,
  getContractAddress,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem'
import { fundAaContracts } from './deploy-aa.ts'
import { deployRollupInbox } from './deploy-rollup.ts'
import { deploySeedContracts } from './deploy-seed.ts'
import { setMulticall3 } from './deploy-x402.ts'
import { DevnetError } from './ports.ts'

const require = createRequire(import.meta.url)

export { CREATE2_DEPLOYER, ENTRY_POINT_V07 }
export const ENTRY_POINT_V08 = '0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108' as const
const SALT_V07 = '0x90d8084deab30c2a37c45e8d47f49f2f7965183cb6990a98943ef94940681de3' as const
const SALT_V08 = '0x0a59dbff790c23c976a548690c27297883cc66b4c67024f9117b0238995e35e9' as const
const ZERO_SALT = `0x${'00'.repeat(32)}` as const

function artifact(pkg: string, name: string): Hex {
  return require(`${pkg}/artifacts/${name}.json`).bytecode as Hex
}

type Clients = {
  publicClient: PublicClient
  walletClient: WalletClient<Transport, Chain, Account>
}

/** CREATE2 through the deterministic deployer; idempotent (skips if code is present). */
export async function create2({ publicClient, walletClient }: Clients, salt: Hex, initCode: Hex, name: string) {
  const address = getContractAddress({ opcode: 'CREATE2', from: CREATE2_DEPLOYER, salt, bytecode: initCode })
  if (await publicClient.getCode({ address })) return address
  const hash = await walletClient.sendTransaction({ to: CREATE2_DEPLOYER, data: concat([salt, initCode]) })
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success' || !(await publicClient.getCode({ address }))) {
    throw new DevnetError(`deploy failed: ${name} (tx ${hash})`)
  }
  return address
}

/** EntryPoint v0.7 at its canonical address: with the CREATE2 deployer, all a bare chain needs for Seed. */
export async function deployEntryPointV07(clients: Clients) {
  return create2(clients, SALT_V07, artifact('aa-contracts-v07', 'EntryPoint'), 'EntryPoint v0.7')
}

export async function deployAccountAbstraction(clients: Clients) {
  const entryPointV07 = await deployEntryPointV07(clients)
  const entryPointV08 = await create2(
    clients,
    SALT_V08,
    artifact('@account-abstraction/contracts', 'EntryPoint'),
    'EntryPoint v0.8',
  )
  if (entryPointV07 !== ENTRY_POINT_V07 || entryPointV08 !== ENTRY_POINT_V08) {
    throw new DevnetError('EntryPoint landed off its canonical address: artifacts changed?')
  }
  const factoryInit = (pkg: string, ep: Address) =>
    concat([artifact(pkg, 'SimpleAccountFactory'), encodeAbiParameters([{ type: 'address' }], [ep])])
  const simpleAccountFactoryV07 = await create2(
    clients,
    ZERO_SALT,
    factoryInit('aa-contracts-v07', ENTRY_POINT_V07),
    'SimpleAccountFactory v0.7',
  )
  const simpleAccountFactoryV08 = await create2(
    clients,
    ZERO_SALT,
    factoryInit('@account-abstraction/contracts', ENTRY_POINT_V08),
    'SimpleAccountFactory v0.8',
  )
  return { entryPointV07, entryPointV08, simpleAccountFactoryV07, simpleAccountFactoryV08 }
}

/** The project's own contracts (Seed's at their deterministic addresses) and the devnet's setup of them. */
export async function deployProjectContracts(clients: Clients, options: { rollupForceWindow?: bigint } = {}) {
  const seed = await deploySeedContracts(clients)
  await fundAaContracts(clients, seed)
  const rollupInbox = await deployRollupInbox(clients, seed.rollupInboxFactory, {
    forceWindow: options.rollupForceWindow,
  })
  await setMulticall3(clients.publicClient)
  return { ...seed, rollupInbox }
}
