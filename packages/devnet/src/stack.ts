/** Starts and stops the whole local stack; used by `pnpm dev`, tests and benchmarks. */

import { BRIDGE_CONFIG_PRESETS, SeedUSDAbi } from '@seed/contracts'
import { createPublicClient, createWalletClient, http, parseEther, parseUnits, toHex } from 'viem'
import { generatePrivateKey, mnemonicToAccount, privateKeyToAddress } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { DEV_MNEMONIC, devAccount, devPrivateKey, ROLES } from './accounts.ts'
import { startAlto } from './alto.ts'
import { startAnvil } from './anvil.ts'
import { deployAccountAbstraction, deployProjectContracts } from './deploy.ts'
import { registeredChainId } from './deploy-rollup.ts'
import { startFaucet } from './faucet/start.ts'
import { startIpfsPeer } from './ipfs.ts'
import { type Manifest, writeManifest } from './manifest.ts'
import { startManifestServer } from './manifest-server.ts'
import type { Service } from './processes.ts'
import { startRollupPeer } from './rollup.ts'
import { startX402 } from './x402.ts'

export type StackOptions = {
  anvilPort?: number
  bundlerPort?: number
  hardfork?: 'prague' | 'osaka'
  /**
   * Seconds between L1 blocks when no transaction comes (transactions still mine at once). `pnpm dev` sets
   * it so deposits reach its confirmation depth and the rollup peer's L1 origins stay within the force
   * window on an idle L1 (decision 0003); tests leave it off: their L1 mines only what they send (some pause
   * automine on it, which an interval would break).
   */
  l1BlockTime?: number
  /** Where to write the manifest; false = don't write one. */
  manifestPath?: string | false
  /** Called as each step finishes, for progress output. */
  onStep?: (step: string, ms: number) => void
}

export type Stack = { manifest: Manifest; services: Service[]; stop(): Promise<void> }

/** The L1 sequencer of the inboxes rollup-lite's tests deploy (its derive/testing.ts `l1Sequencer`). */
const testInboxSequencer = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 8 }).address

/** What the faucet holds (ETH, Seed USD) and gives with each drip (Seed USD; ETH: its own default). */
const FAUCET_ETH = parseEther('1000000')
const FAUCET_USD = parseUnits('1000000', 6)
const FAUCET_USD_DRIP = parseUnits('100', 6)

const ON_DEMAND_L1_FORCE_WINDOW = 86_400n

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const services: Service[] = []
  let closeManifestServer = async () => {}
  const stop = async () => {
    await Promise.all([closeManifestServer(), ...services.reverse().map((s) => s.stop())])
  }
  let t = performance.now()
  const step = (name: string) => {
    options.onStep?.(name, Math.round(performance.now() - t))
    t = performance.now()
  }
  try {
    const hardfork = options.hardfork ?? 'prague'
    const anvil = await startAnvil({
      port: options.anvilPort,
      hardfork,
      blockTime: options.l1BlockTime,
      mixedMining: true,
    })
    services.push(anvil.service)
    step('anvil')

    const transport = http(anvil.rpcUrl)
    const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
    const walletClient = createWalletClient({ chain: foundry, transport, account: devAccount('deployer') })
    const clients = { publicClient, walletClient }
    const aa = await deployAccountAbstraction(clients)
    // An L1 that mines only on demand (the test stack) can sit idle for minutes, and a rollup's next batch would
    // then start at an L1 origin older than the devnet's 120 s force window (SPEC §10.2 rule 4, invalid): the
    // chains of such a stack (its peer's, and the agents' through the manifest) get a day. With idle blocks
    // (`pnpm dev`) the origins stay recent and the devnet window holds.
    const forceWindow = options.l1BlockTime ? BRIDGE_CONFIG_PRESETS.devnet.forceWindow : ON_DEMAND_L1_FORCE_WINDOW
    const own = await deployProjectContracts(clients, { rollupForceWindow: forceWindow })
    step('contracts')

    const alto = await startAlto({
      rpcUrl: anvil.rpcUrl,
      port: options.bundlerPort,
      entryPoints: [aa.entryPointV07, aa.entryPointV08],
      executorKey: devPrivateKey('bundlerExecutor'),
      utilityKey: devPrivateKey('bundlerUtility'),
    })
    services.push(alto.service)
    step('bundler')
    // Pins only from the stack's sequencer, the dev key tests pin with, and each agent's batcher
    // (the current sequencer of an inbox the factory made): decision 0310.
    const ipfs = await startIpfsPeer({
      pinners: [devAccount('sequencer').address, devAccount('user').address, testInboxSequencer],
      agentInboxes: { l1RpcUrl: anvil.rpcUrl, factory: own.rollupInboxFactory },
    })
    services.push(ipfs.service)
    step('ipfs')

    const contracts = { ...aa, ...own }
    const rollup = await startRollupPeer({
      l1: publicClient,
      l1RpcUrl: anvil.rpcUrl,
      contracts,
      chainId: await registeredChainId(publicClient, own),
      ipfsHttp: ipfs.url,
      ipfsPeer: ipfs.multiaddr,
    })
    services.push(rollup.service)
    step('rollup node')

    // The faucet pays from a key made for this run only (decision 0432), funded here.
    const faucetKey = generatePrivateKey()
    const faucetAddress = privateKeyToAddress(faucetKey)
    await publicClient.request({
      method: 'anvil_setBalance' as never,
      params: [faucetAddress, toHex(FAUCET_ETH)] as never,
    })
    await publicClient.waitForTransactionReceipt({
      hash: await walletClient.writeContract({
        address: contracts.usd,
        abi: SeedUSDAbi,
        functionName: 'mint',
        args: [faucetAddress, FAUCET_USD],
      }),
    })
    const faucet = await startFaucet(faucetKey, {
      l1: { chainId: foundry.id, rpcUrl: anvil.rpcUrl },
      usd: { token: contracts.usd, amount: FAUCET_USD_DRIP.toString() },
    })
    services.push(faucet.service)
    step('faucet')

    const facilitator = await startX402({ chainId: foundry.id, rpcUrl: anvil.rpcUrl }, contracts, rollup)
    services.push(facilitator.service)
    step('facilitator')

    let manifest: Manifest | undefined
    const manifestServer = await startManifestServer(() => manifest)
    closeManifestServer = manifestServer.close
    manifest = {
      version: 1,
      startedAt: new Date().toISOString(),
      l1: { chainId: foundry.id, rpcUrl: anvil.rpcUrl, beaconUrl: anvil.rpcUrl, hardfork },
      bundler: { url: alto.url },
      contracts,
      bridge: { forceWindow: Number(forceWindow) },
      rollup: { chainId: rollup.chainId, rpcUrl: rollup.rpcUrl, genesis: rollup.genesis, p2p: rollup.p2p },
      accounts: Object.fromEntries(
        Object.keys(ROLES).map((role) => [role, devAccount(role as keyof typeof ROLES).address]),
      ),
      services: {
        ipfs: ipfs.multiaddr,
        ipfsHttp: ipfs.url,
        faucet: faucet.url,
        facilitator: facilitator.url,
        manifest: manifestServer.url,
      },
      operator: { facilitatorAdminToken: facilitator.adminToken },
    }
    if (options.manifestPath !== false) writeManifest(manifest, options.manifestPath)
    return { manifest, services, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
