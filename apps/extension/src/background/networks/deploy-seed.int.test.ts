/**
 * Deploying Seed's missing contracts from the owner key (decision 0431) against a real bare anvil
 * (only the CREATE2 deployer and EntryPoint v0.7): the policy refuses before anything is signed,
 * the node's refusal drops the journal and gives the reservations back, and a deployment lands
 * every contract with its fee settled in the ledger and the agent's account recorded.
 */
import { findMissingSeedContracts, seedAddresses } from '@seed/contracts'
import { deployEntryPointV07, devAccount, startAnvil } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import { createPublicClient, createWalletClient, defineChain, http, type PublicClient, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import type { NetworkSettings } from '../../core/records.ts'
import { stored } from '../../core/storage.ts'
import { useMemoryExtension } from '../../test-support/memory-extension.ts'
import { actions, setFrozen } from '../actions/policy.ts'
import { deploySeed, SeedDeploymentError, seedStatus } from './deploy-seed.ts'
import { saveNetwork } from './registry.ts'
import { switchNetwork } from './switch.ts'

const CHAIN_ID = 31_401
let stop: (() => Promise<void>) | undefined
let client: PublicClient
let network: NetworkSettings
const ownerKey = generatePrivateKey()
const owner = privateKeyToAddress(ownerKey)

beforeAll(async () => {
  const anvil = await startAnvil({ chainId: CHAIN_ID })
  stop = () => anvil.service.stop()
  const chain = defineChain({
    id: CHAIN_ID,
    name: 'bare',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [anvil.rpcUrl] } },
  })
  client = createPublicClient({ chain, transport: http(anvil.rpcUrl), pollingInterval: 50 }) as PublicClient
  const walletClient = createWalletClient({ chain, transport: http(anvil.rpcUrl), account: devAccount('deployer') })
  await deployEntryPointV07({ publicClient: client, walletClient } as never)
  network = {
    id: 'custom-bare',
    name: 'Bare anvil',
    preset: 'custom',
    l1: { chainId: CHAIN_ID, rpcUrl: anvil.rpcUrl },
    bundlerUrl: 'http://127.0.0.1:9', // never reached: deploying needs no bundler
    beaconUrl: anvil.rpcUrl,
    ipfsUrl: '',
    ipfsPeer: '',
    facilitatorUrl: '',
  }
})

afterAll(() => stop?.())

beforeEach(async () => {
  useMemoryExtension()
  Object.assign(chrome, {
    tabs: { query: async () => [] },
    offscreen: { hasDocument: async () => false, closeDocument: async () => {} },
  })
  await saveNetwork(network)
  await switchNetwork(network.id)
  await stored.unlocked.set({ privateKey: ownerKey, lastActiveAt: Date.now() })
})

const setBalance = (wei: bigint) =>
  client.request({ method: 'anvil_setBalance' as never, params: [owner, `0x${wei.toString(16)}`] as never })

test('the kill switch refuses the deployment before anything is signed or sent', async () => {
  await setBalance(parseEther('1'))
  await setFrozen(true)
  await expect(deploySeed()).rejects.toMatchObject({ code: 4100, message: expect.stringMatching(/policy/) })
  expect(await client.getTransactionCount({ address: owner })).toBe(0)
  expect(await stored.seedDeployment.get()).toBeUndefined()
  expect(await actions.reservations()).toEqual([])
  expect((await stored.activity.get())[0]).toMatchObject({ kind: 'deploy', status: 'failed' })
})

test('an owner key without ETH: the node refuses the first tx, nothing stays journaled or reserved', async () => {
  await setBalance(0n)
  await expect(deploySeed()).rejects.toBeInstanceOf(SeedDeploymentError)
  expect(await stored.seedDeployment.get()).toBeUndefined()
  expect(await actions.reservations()).toEqual([])
  expect(await client.getTransactionCount({ address: owner })).toBe(0)
})

test('the missing contracts land at their deterministic addresses, each fee settled, and the account is recorded', async () => {
  await setBalance(parseEther('1'))
  const before = await seedStatus()
  expect(before).toMatchObject({ entryPointV07: true, missing: expect.arrayContaining(['usd', 'seedAccountFactory']) })
  expect(Number(before.costEth)).toBeGreaterThan(0)
  expect(Number(before.maxCostEth)).toBeGreaterThanOrEqual(Number(before.costEth))

  const after = await deploySeed()
  expect(after).toMatchObject({ entryPointV07: true, missing: [], inFlight: false })
  expect(await findMissingSeedContracts(client)).toEqual([])
  expect(await stored.seedDeployment.get()).toBeUndefined()
  const ledger = (await actions.state()).ledger.filter((e) => e.id.startsWith('deploy:'))
  expect(ledger).toHaveLength(before.missing.length)
  expect(ledger.every((e) => e.status === 'settled')).toBe(true)
  const account = await stored.account.get()
  expect(account?.owner).toBe(owner)
  expect(account?.smartAccount).toMatch(/^0x[0-9a-fA-F]{40}$/)
  expect(account?.rollup.chainId).toBeGreaterThan(0)
  // Nothing left to deploy: a second click signs nothing.
  const nonce = await client.getTransactionCount({ address: owner })
  await deploySeed()
  expect(await client.getTransactionCount({ address: owner })).toBe(nonce)
  expect(seedAddresses().usd).toBeDefined()
})
