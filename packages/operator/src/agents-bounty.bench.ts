/**
 * Bounty figure (issue 17; `pnpm bench agents` or `pnpm bench bounty`):
 * - `bounty.pay_per_epoch_gas`: L1 gas per operator per epoch when the poster pays by epoch vouchers and
 *   the operator settles a day of hourly epochs (24, `seed-operator run`'s default) in one claim. Baseline,
 *   measured in the same run: an ERC-20 transfer per epoch from the poster (paying each epoch on chain).
 *   The notes give the claim's gas when settled every epoch and once a week.
 * A private anvil (prague) with the escrow, an identity registry and Seed USD; the operator's agent has
 * joined before measuring. Gas is deterministic: one run per setting.
 */
import {
  claimEpochsCall,
  epochVoucherTypedData,
  IdentityRegistryAbi,
  IdentityRegistryBytecode,
  joinBountyCall,
  postBountyCall,
  registerAgentCall,
  SeedBountyEscrowAbi,
  SeedBountyEscrowBytecode,
  SeedUSDAbi,
  SeedUSDBytecode,
} from '@seed/contracts'
import { devAccount, startAnvil } from '@seed/devnet'
import { emit, log } from '@seed/testkit/bench'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  type LocalAccount,
} from 'viem'
import { foundry } from 'viem/chains'

const PRICE = 1_000_000n // 1 Seed USD (6 decimals) per epoch
const anvil = await startAnvil({})
try {
  const transport = http(anvil.rpcUrl)
  const l1 = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
  const walletOf = (account: LocalAccount) => createWalletClient({ chain: foundry, transport, account })
  const poster = walletOf(devAccount('deployer'))
  const operator = walletOf(devAccount('user'))
  const mined = async (hash: Hex) => {
    const receipt = await l1.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`reverted: ${hash}`)
    return receipt
  }
  const deploy = async (abi: readonly unknown[], bytecode: Hex, args: readonly unknown[]) =>
    (await mined(await poster.deployContract({ abi: abi as never, bytecode, args: args as never })))
      .contractAddress as Address
  const send = async (wallet: ReturnType<typeof walletOf>, call: { to: Address; data: Hex }) =>
    mined(await wallet.sendTransaction(call))

  const identity = await deploy(IdentityRegistryAbi, IdentityRegistryBytecode, [])
  const usd = await deploy(SeedUSDAbi, SeedUSDBytecode, [poster.account.address])
  const escrow = await deploy(SeedBountyEscrowAbi, SeedBountyEscrowBytecode, [identity])
  const erc20 = (functionName: 'mint' | 'approve' | 'transfer', args: readonly [Address, bigint]) => ({
    to: usd,
    data: encodeFunctionData({ abi: SeedUSDAbi, functionName, args }),
  })
  const funds = 1_000n * PRICE
  await send(poster, erc20('mint', [poster.account.address, 2n * funds]))
  await send(poster, erc20('approve', [escrow, funds]))
  await send(
    poster,
    postBountyCall(escrow, {
      kind: 'replica',
      inbox: usd,
      token: usd,
      pricePerEpoch: PRICE,
      epochLength: 3600n,
      maxOperators: 1,
      funds,
    }),
  )
  const bountyId = 1n
  await send(operator, registerAgentCall(identity, { agentURI: 'ipfs://bench' }))
  const agentId = 1n
  await send(operator, joinBountyCall(escrow, { bountyId, agentId }))
  // Warm the operator's token balance slot, as after its first pay: every later epoch pays into a warm slot.
  await send(poster, erc20('transfer', [operator.account.address, 1n]))

  // Baseline: one ERC-20 transfer per epoch from the poster to the operator.
  const transferGas = (await send(poster, erc20('transfer', [operator.account.address, PRICE]))).gasUsed

  let paid = 0n
  const claimGas = async (epochs: bigint) => {
    paid += epochs * PRICE
    const signature = await poster.signTypedData(
      epochVoucherTypedData({ chainId: foundry.id, escrow, bountyId, agentId, cumulativeAmount: paid }),
    )
    // Vouchers cost no gas; the operator's one claim settles them all.
    return (await send(operator, claimEpochsCall(escrow, { bountyId, agentId, cumulativeAmount: paid, signature })))
      .gasUsed
  }
  const first = await claimGas(1n) // the slot's first claim writes a zero slot: reported, not the figure
  const everyEpoch = await claimGas(1n)
  const daily = await claimGas(24n)
  const weekly = await claimGas(168n)
  log(`transfer ${transferGas}, first claim ${first}, claim of 1 ${everyEpoch}, of 24 ${daily}, of 168 ${weekly}`)
  emit({
    bench: 'bounty.pay_per_epoch_gas',
    value: Math.round(Number(daily) / 24),
    unit: 'gas',
    env: 'node',
    baseline: { name: 'erc20_transfer_per_epoch', value: Number(transferGas) },
    notes:
      `one claim of 24 hourly epochs (${daily} gas) per operator per day; settled every epoch ${everyEpoch} gas/epoch, ` +
      `weekly ${Math.round(Number(weekly) / 168)} gas/epoch; the slot's first claim ${first} gas`,
  })
} finally {
  await anvil.service.stop()
}
process.exit(0)
