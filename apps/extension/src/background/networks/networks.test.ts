/** Networks at run time (decision 0430): per-network storage, the settings the screen may save, switching. */
import { beforeEach, describe, expect, test, vi } from 'vitest'
import { activeNetwork, getDevnetConfig, listNetworks, NotConfiguredError } from '../../core/config.ts'
import type { DevnetConfig, NetworkSettings } from '../../core/records.ts'
import { type StorageArea, stored } from '../../core/storage.ts'
import { useMemoryExtension } from '../../test-support/memory-extension.ts'
import { parseNetworkSettings, removeNetwork, saveNetwork } from './registry.ts'
import { NetworkBusyError, switchNetwork, UnknownNetworkError } from './switch.ts'

const baked: DevnetConfig = {
  l1: { chainId: 31337, rpcUrl: 'http://127.0.0.1:8545' },
  bundlerUrl: 'http://127.0.0.1:4337',
  contracts: {
    entryPointV07: '0x0000000071727De22E5E9d8BAf0edAc6f37da032',
    seedAccountFactory: '0x1000000000000000000000000000000000000001',
    usd: '0x1000000000000000000000000000000000000002',
  },
  services: { ipfsHttp: 'http://127.0.0.1:5001', beacon: 'http://127.0.0.1:8545' },
}

const custom: NetworkSettings = {
  id: 'custom-bare',
  name: 'Bare anvil',
  preset: 'custom',
  l1: { chainId: 31400, rpcUrl: 'http://127.0.0.1:9545' },
  bundlerUrl: 'http://127.0.0.1:9437',
  beaconUrl: 'http://127.0.0.1:9545',
  ipfsUrl: '',
  ipfsPeer: '',
  facilitatorUrl: '',
}

const account = (smartAccount: `0x${string}`) => ({
  owner: '0x2000000000000000000000000000000000000001' as const,
  smartAccount,
  rollupAccount: '0x2000000000000000000000000000000000000002' as const,
  rollup: { chainId: 7, inbox: '0x2000000000000000000000000000000000000003' as const },
})

let local: StorageArea
beforeEach(() => {
  local = useMemoryExtension().areas.local
  vi.stubGlobal('__SEED_DEVNET__', baked)
  // What switching touches outside storage: the tabs it tells, the rollup's offscreen document.
  Object.assign(chrome, {
    tabs: { query: async () => [] },
    offscreen: { hasDocument: async () => false, closeDocument: async () => {} },
  })
})

describe('per-network storage', () => {
  test("today's single-network data is the devnet's, as it was stored", async () => {
    await local.set({ account: account('0xa1'), activity: [{ id: 'old' }] }) // written before networks existed
    expect((await activeNetwork()).id).toBe('devnet')
    expect(await stored.account.get()).toEqual(account('0xa1'))
    expect(await stored.activity.get()).toEqual([{ id: 'old' }])
  })

  test('another network has its own account, activity, sites and bundles; the devnet keeps its own', async () => {
    await stored.account.set(account('0xa1'))
    await stored.permissions.set({ 'http://site.test': [] })
    await stored.callsBundles.item('0xb1').set({ id: '0xb1', chainId: 31337 })
    await saveNetwork(custom)
    await switchNetwork(custom.id)

    expect(await stored.account.get()).toBeUndefined()
    expect(await stored.permissions.get()).toEqual({})
    expect(await stored.callsBundles.all()).toEqual([])
    await stored.account.set(account('0xb2'))
    await stored.activity.set([{ id: 'bare' } as never])
    expect(Object.keys(await local.get(null))).toEqual(
      expect.arrayContaining(['net:custom-bare:account', 'net:custom-bare:activity']),
    )

    await switchNetwork('devnet')
    expect(await stored.account.get()).toEqual(account('0xa1'))
    expect(await stored.permissions.get()).toEqual({ 'http://site.test': [] })
    expect(await stored.callsBundles.all()).toEqual([{ id: '0xb1', chainId: 31337 }])
    expect(await stored.activity.get()).toEqual([])
  })

  test('the owner key, the policy and the auto-lock setting are the wallet’s, on every network', async () => {
    await stored.policy.set({ perTxEth: '0.5' })
    await stored.settings.set({ autoLockMinutes: 3 })
    await saveNetwork(custom)
    await switchNetwork(custom.id)
    expect(await stored.policy.get()).toEqual({ perTxEth: '0.5' })
    expect(await stored.settings.get()).toEqual({ autoLockMinutes: 3 })
  })
})

describe('network settings', () => {
  test('the devnet preset defaults to the build-time manifest; Sepolia and Base Sepolia need a bundler', async () => {
    const networks = await listNetworks()
    expect(networks.map((n) => [n.id, n.l1.chainId])).toEqual([
      ['devnet', 31337],
      ['sepolia', 11155111],
      ['base-sepolia', 84532],
    ])
    expect(await getDevnetConfig()).toMatchObject({
      l1: baked.l1,
      bundlerUrl: baked.bundlerUrl,
      contracts: baked.contracts,
    })
    await expect(switchNetwork('sepolia')).rejects.toBeInstanceOf(NotConfiguredError)
    expect((await activeNetwork()).id).toBe('devnet')
  })

  test('a custom network finds Seed at the deterministic addresses; the devnet at its manifest’s', async () => {
    await saveNetwork(custom)
    await switchNetwork(custom.id)
    const config = await getDevnetConfig()
    expect(config.contracts.entryPointV07).toBe('0x0000000071727De22E5E9d8BAf0edAc6f37da032')
    expect(config.contracts.seedAccountFactory).not.toBe(baked.contracts.seedAccountFactory)
    expect(config.services).toEqual({ beacon: custom.beaconUrl })
  })

  test.each([
    [{ ...custom, l1: { ...custom.l1, rpcUrl: 'javascript:alert(1)' } }, /L1 RPC: only http/],
    [{ ...custom, bundlerUrl: 'not a url' }, /bundlerUrl: "not a url" is not a URL/],
    [{ ...custom, l1: { ...custom.l1, chainId: -1 } }, /chain id: a positive integer/],
    [{ ...custom, id: '../account' }, /Network id/],
    [{ ...custom, name: '' }, /Network name/],
    [{ ...custom, preset: 'mainnet' }, /Unknown preset/],
    [{ ...custom, contracts: { usd: 'nope' }, id: 'devnet' }, /addresses only/],
    [{ ...custom, ipfsPeer: 'http://not-a-multiaddr' }, /IPFS peer multiaddr/],
    [{ ...custom, erc8004: { identity: baked.contracts.usd, reputation: 'nope' } }, /ERC-8004 registries/],
    [null, /Network settings expected/],
  ])('bad settings are refused with -32602 (%#)', (input, message) => {
    expect(() => parseNetworkSettings(input)).toThrow(message)
    try {
      parseNetworkSettings(input)
    } catch (error) {
      expect((error as { code: number }).code).toBe(-32602)
    }
  })

  test('only the devnet carries contract addresses of its own (from its manifest)', () => {
    const parsed = parseNetworkSettings({ ...custom, contracts: baked.contracts })
    expect(parsed.contracts).toBeUndefined()
  })

  test('any network may name its own ERC-8004 registries (all three)', () => {
    const erc8004 = {
      identity: '0x8004A169FB4a3325136EB29fA0ceB6D2e539a432',
      reputation: '0x8004BAa17C55a88189AE136b182e5fdA19dE9b63',
      validation: '0x8004Cc8439f36fd5F9F049D9fF86523Df6dAAB58',
    } as const
    expect(parseNetworkSettings({ ...custom, erc8004 }).erc8004).toEqual(erc8004)
    expect(parseNetworkSettings(custom).erc8004).toBeUndefined()
  })

  test('the network in use cannot be removed; a removed preset goes back to its defaults', async () => {
    await saveNetwork({ ...(await listNetworks())[1]!, bundlerUrl: 'https://bundler.test' })
    expect((await listNetworks())[1]!.bundlerUrl).toBe('https://bundler.test')
    await removeNetwork('sepolia')
    expect((await listNetworks())[1]!.bundlerUrl).toBe('')
    await expect(removeNetwork('devnet')).rejects.toThrow(/Switch to another network/)
  })
})

describe('switching', () => {
  test('an unknown network is refused with -32602', async () => {
    await expect(switchNetwork('nowhere')).rejects.toBeInstanceOf(UnknownNetworkError)
  })

  test('a request waiting for the user is refused (4001) when the wallet switches networks', async () => {
    const request = { id: 'r1', origin: 'http://site.test', method: 'eth_sendTransaction', params: [], chainId: 31337 }
    await stored.requests.item('r1').set({ ...request, status: 'pending', createdAt: Date.now() })
    await saveNetwork(custom)
    await switchNetwork(custom.id)
    expect(await stored.requests.item('r1').get()).toMatchObject({ status: 'rejected', error: { code: 4001 } })
  })

  test('nothing signed for one network is finished on another: an approved request or a deployment in flight blocks the switch', async () => {
    await saveNetwork(custom)
    const request = { id: 'r2', origin: 'http://site.test', method: 'eth_sendTransaction', params: [], chainId: 31337 }
    await stored.requests.item('r2').set({ ...request, status: 'approved', createdAt: Date.now() })
    await expect(switchNetwork(custom.id)).rejects.toBeInstanceOf(NetworkBusyError)
    await stored.requests.item('r2').set({ ...request, status: 'done', createdAt: Date.now() })
    await stored.seedDeployment.set({ txs: [] })
    await expect(switchNetwork(custom.id)).rejects.toThrow(/deployment of Seed's contracts/)
    expect((await activeNetwork()).id).toBe('devnet')
  })
})
