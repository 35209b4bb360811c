/**
 * Seed's contracts on bare chains (anvil with only the CREATE2 deployer, plus EntryPoint v0.7): deploying
 * what is missing puts every contract at the devnet's address, on any chain id, and repeating is harmless.
 */
import { deployEntryPointV07, devAccount, startAnvil } from '@seed/devnet'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type PublicClient,
  zeroAddress,
} from 'viem'
import { afterAll, describe, expect, inject, test } from 'vitest'
import {
  estimateSeedDeploymentCost,
  findMissingSeedContracts,
  MissingPrerequisiteError,
  SEED_DEV_OWNER,
  SeedAccountFactoryAbi,
  SeedUSDAbi,
  seedAddresses,
  seedDeploymentCalls,
  seedDeployments,
} from '../src/index.ts'

const manifest = inject('manifest')
const stops: (() => Promise<void>)[] = []
afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()))
})

async function bareChain(chainId: number, hardfork: 'prague' | 'osaka', sender: 'user' | 'facilitator') {
  const anvil = await startAnvil({ chainId, hardfork })
  stops.push(() => anvil.service.stop())
  const chain = defineChain({
    id: chainId,
    name: `bare ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [anvil.rpcUrl] } },
  })
  const transport = http(anvil.rpcUrl)
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 })
  // Any key deploys: the addresses do not depend on who sends (never the owner's key here).
  const walletClient = createWalletClient({ chain, transport, account: devAccount(sender) })
  return { publicClient, walletClient }
}

type Bare = Awaited<ReturnType<typeof bareChain>>

/** Sends each missing deployment (the way any caller would) and returns the receipts. */
async function deployMissing({ publicClient, walletClient }: Bare) {
  const calls = seedDeploymentCalls(await findMissingSeedContracts(publicClient))
  const receipts = []
  for (const call of calls) {
    const hash = await walletClient.sendTransaction(call)
    receipts.push({ call, receipt: await publicClient.waitForTransactionReceipt({ hash }) })
  }
  return receipts
}

async function codeAt(client: PublicClient, addresses: Address[]) {
  return Promise.all(addresses.map(async (address) => (await client.getCode({ address })) ?? '0x'))
}

describe('Seed contracts at deterministic addresses', () => {
  let first: Bare

  test('without EntryPoint v0.7 a bare chain is refused with a typed error', async () => {
    first = await bareChain(7_777, 'prague', 'user')
    const error = await findMissingSeedContracts(first.publicClient).catch((e) => e)
    expect(error).toBeInstanceOf(MissingPrerequisiteError)
    expect(error.missing).toEqual(['entryPointV07'])
    expect(error.shortMessage).toMatch(/EntryPoint v0\.7/)
  })

  test('a bare chain gets every Seed contract at the devnet’s address, within the static gas and the estimate', async () => {
    await deployEntryPointV07(first)
    const missing = await findMissingSeedContracts(first.publicClient)
    expect(missing.map((d) => d.name)).toEqual(seedDeployments.map((d) => d.name))

    const cost = await estimateSeedDeploymentCost(first.publicClient, missing)
    expect(cost.calls).toHaveLength(missing.length)
    expect(cost.wei).toBe(cost.gas * cost.maxFeePerGas)
    expect(cost.wei).toBeGreaterThan(0n)

    const sent = await deployMissing(first)
    expect(sent).toHaveLength(missing.length)
    for (const { call, receipt } of sent) {
      expect(receipt.status, call.name).toBe('success')
      // The static limit covers the real cost, and is not wildly above it.
      expect(receipt.gasUsed, call.name).toBeLessThanOrEqual(call.gas)
      expect(call.gas, call.name).toBeLessThan(receipt.gasUsed * 2n)
      const estimated = cost.calls.find((c) => c.name === call.name)!.gas
      expect(estimated, call.name).toBeGreaterThanOrEqual(receipt.gasUsed)
    }
    expect(await findMissingSeedContracts(first.publicClient)).toEqual([])

    const addresses = seedAddresses()
    const { seedAccountImplementation, ...deployed } = addresses
    for (const [name, address] of Object.entries(deployed)) {
      expect(address, name).toBe(manifest.contracts[name as keyof typeof manifest.contracts])
    }
    expect(await codeAt(first.publicClient, [seedAccountImplementation])).not.toContain('0x')
  })

  test('the contracts work there: the owner is the constant, not the sender; the factory creates accounts', async () => {
    const { publicClient, walletClient } = first
    const { usd, seedAccountFactory } = seedAddresses()
    expect(await publicClient.readContract({ address: usd, abi: SeedUSDAbi, functionName: 'owner' })).toBe(
      SEED_DEV_OWNER,
    )
    const owner = devAccount('sponsor').address
    const predicted = await publicClient.readContract({
      address: seedAccountFactory,
      abi: SeedAccountFactoryAbi,
      functionName: 'getAddress',
      args: [owner, 0n],
    })
    const hash = await walletClient.writeContract({
      address: seedAccountFactory,
      abi: SeedAccountFactoryAbi,
      functionName: 'createAccount',
      args: [owner, 0n],
    })
    expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe('success')
    expect(await publicClient.getCode({ address: predicted })).toBeTruthy()
  })

  test('idempotent: nothing left to send, and a repeated call reverts without touching the code', async () => {
    const { publicClient, walletClient } = first
    expect(await deployMissing(first)).toEqual([])
    const addresses = seedDeployments.map((d) => d.address)
    const before = await codeAt(publicClient, addresses)
    const [again] = seedDeploymentCalls(seedDeployments.slice(0, 1))
    const hash = await walletClient.sendTransaction(again!)
    expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe('reverted')
    expect(await codeAt(publicClient, addresses)).toEqual(before)
  })

  test('another chain id and hardfork, another sender: the same addresses', async () => {
    const second = await bareChain(424_242, 'osaka', 'facilitator')
    await deployEntryPointV07(second)
    const sent = await deployMissing(second)
    expect(sent.every(({ receipt }) => receipt.status === 'success')).toBe(true)
    expect(await findMissingSeedContracts(second.publicClient)).toEqual([])
    const code = await codeAt(
      second.publicClient,
      seedDeployments.map((d) => d.address),
    )
    expect(code).not.toContain('0x')
    expect(seedAddresses().usd).not.toBe(zeroAddress)
  })
})
