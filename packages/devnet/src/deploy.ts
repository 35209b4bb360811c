/**
 * Deploys the ERC-4337 EntryPoints and SimpleAccountFactories at their canonical addresses
 * (through anvil's CREATE2 deployer), then the project's own contracts.
 */
import { createRequire } from 'node:module'
import { TestTokenAbi, TestTokenBytecode } from '@seed/contracts'
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
import { deployAaContracts } from './deploy-aa.ts'
import { deployRollup } from './deploy-rollup.ts'
import { deployX402Contracts } from './deploy-x402.ts'
import { DevnetError } from './ports.ts'

const require = createRequire(import.meta.url)
export const CREATE2_DEPLOYER = '0x4e59b44847b379578588920ca78fbf26c0b4956c' as const

export const ENTRY_POINT_V07 = '0x0000000071727De22E5E9d8BAf0edAc6f37da032' as const
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

export async function deployAccountAbstraction(clients: Clients) {
  const entryPointV07 = await create2(clients, SALT_V07, artifact('aa-contracts-v07', 'EntryPoint'), 'EntryPoint v0.7')
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

/** The project's own contracts. Later issues add theirs here. */
export async function deployProjectContracts({ publicClient, walletClient }: Clients) {
  const hash = await walletClient.deployContract({
    abi: TestTokenAbi,
    bytecode: TestTokenBytecode,
    args: ['Test Token', 'TST'],
  })
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  if (!receipt.contractAddress) throw new DevnetError('deploy failed: TestToken')
  return {
    testToken: receipt.contractAddress,
    ...(await deployAaContracts({ publicClient, walletClient })),
    ...(await deployRollup({ publicClient, walletClient })),
    ...(await deployX402Contracts({ publicClient, walletClient })),
  }
}
