/**
 * A self-hosted x402 facilitator (protocol v2): @x402/core's x402Facilitator with @x402/evm's `exact`
 * scheme registered per network, each network settled by its own viem wallet (one signer key for all).
 */

import { SeedPaymentChannelAbi } from '@seed/contracts'
import { x402Facilitator } from '@x402/core/facilitator'
import { toFacilitatorEvmSigner } from '@x402/evm'
import { ExactEvmScheme } from '@x402/evm/exact/facilitator'
import { type Address, createWalletClient, defineChain, type Hex, http, publicActions } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { type ChannelFacilitatorOptions, ChannelFacilitatorScheme } from '../channel/facilitator.ts'
import { type Caip2, caip2 } from '../networks.ts'
import { localNonces } from './localNonces.ts'
import { settlementSender } from './settlementSender.ts'

export type FacilitatorNetwork = {
  chainId: number
  rpcUrl: string
  name?: string
  /** SeedPaymentChannel on this network: enables the `channel` scheme (vouchers, claimed in batches). */
  channelContract?: Address
  /** Overrides `simulateInSettle` for this network (e.g. off on the rollup: a failed settlement costs nothing). */
  simulateInSettle?: boolean
}

export type CreateFacilitatorParameters = {
  networks: readonly FacilitatorNetwork[]
  /** Pays the gas of settlements (devnet role `facilitator`). */
  privateKey: Hex
  /** Factories the facilitator may call to deploy a counterfactual (ERC-6492) payer before settling. */
  eip6492AllowedFactories?: readonly Address[]
  /** Simulate the transfer again in /settle (default true). */
  simulateInSettle?: boolean
  /** Receipt polling interval; the devnet chains mine instantly, so poll fast. */
  pollingIntervalMs?: number
  /** Channel scheme: the voucher store (durable in production: `createFileVoucherStore`), close-delay floor, exposure bound. */
  channels?: ChannelFacilitatorOptions
  /** How often `start()` polls channel contracts for close requests (default 1 s). */
  closeWatchIntervalMs?: number
}

/** transferWithAuthorization with an ERC-1271 check costs ~90k gas; unused gas is not charged. */
export const SETTLE_GAS_LIMIT = 300_000n
const FEE_CACHE_MS = 2_000
const EMPTY_CODE_CACHE_MS = 1_000

export type SeedFacilitator = {
  facilitator: x402Facilitator
  address: Address
  networks: Caip2[]
  channels: ChannelFacilitatorScheme[]
  /** Claims the latest accepted voucher of every channel on chain. */
  claimChannels(): Promise<Hex[]>
  /**
   * Restores the vouchers accepted before a restart and claims them, then claims a channel as soon as its
   * payer requests to close it (the payee's window is the channel's close delay, not the claim interval).
   */
  start(options?: { onError?: (error: Error) => void }): Promise<{ stop(): void }>
}

export function createFacilitator(parameters: CreateFacilitatorParameters): SeedFacilitator {
  // One nonce count shared by all clients of the key: concurrent settlements get distinct nonces, without a
  // read of the account's nonce before each.
  const account = privateKeyToAccount(parameters.privateKey, { nonceManager: localNonces() })
  const facilitator = new x402Facilitator()
  const networks: Caip2[] = []
  const channels: ChannelFacilitatorScheme[] = []
  const closeWatches: ((onError: (error: Error) => void) => () => void)[] = []
  const pollingIntervalMs = parameters.pollingIntervalMs ?? 25
  for (const network of parameters.networks) {
    const chain = defineChain({
      id: network.chainId,
      name: network.name ?? `chain ${network.chainId}`,
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [network.rpcUrl] } },
    })
    const client = createWalletClient({
      account,
      chain,
      transport: http(network.rpcUrl),
      pollingInterval: pollingIntervalMs,
    }).extend(publicActions)
    const fees = cachedFees(client)
    const code = cachedCode(client)
    const settlements = settlementSender(client, pollingIntervalMs)
    const signer = toFacilitatorEvmSigner({
      address: account.address,
      readContract: (args) => client.readContract(args as never),
      verifyTypedData: (args) => client.verifyTypedData(args as never),
      // A fixed gas limit skips eth_estimateGas (a binary search of EVM runs); the transfer was just simulated.
      writeContract: async (args) =>
        settlements.write({ ...(await fees()), ...args, gas: args.gas ?? SETTLE_GAS_LIMIT } as never),
      // Only ERC-6492 deployments go through sendTransaction: an account may have code now.
      sendTransaction: (args) => code.forgetEmpty(client.sendTransaction(args)),
      waitForTransactionReceipt: (args) => settlements.receipt(args.hash, args.timeout) as never,
      getCode: (args) => code.get(args.address),
    })
    const id = caip2(network.chainId)
    facilitator.register(
      id,
      new ExactEvmScheme(signer, {
        eip6492AllowedFactories: [...(parameters.eip6492AllowedFactories ?? [])],
        // Re-simulate before broadcasting: a payment that would revert (funds spent since /verify, nonce
        // used) is refused with its precise reason instead of burning gas on a failed transaction.
        simulateInSettle: network.simulateInSettle ?? parameters.simulateInSettle ?? true,
      }),
    )
    if (network.channelContract) {
      const scheme = new ChannelFacilitatorScheme(
        id,
        network.channelContract,
        client as never,
        client as never,
        parameters.channels,
      )
      facilitator.register(id, scheme)
      channels.push(scheme)
      closeWatches.push((onError) =>
        client.watchContractEvent({
          address: scheme.channelContract,
          abi: SeedPaymentChannelAbi,
          eventName: 'CloseRequested',
          poll: true,
          pollingInterval: parameters.closeWatchIntervalMs ?? 1_000,
          onLogs: (logs) => {
            for (const log of logs) {
              if (log.args.channelId) scheme.claimChannel(log.args.channelId).catch(onError)
            }
          },
          onError,
        }),
      )
    }
    networks.push(id)
  }
  const claimChannels = async () => (await Promise.all(channels.map((c) => c.claim()))).flat()
  return {
    facilitator,
    address: account.address,
    networks,
    channels,
    claimChannels,
    async start(options = {}) {
      const onError = options.onError ?? (() => undefined)
      await Promise.all(channels.map((c) => c.restore()))
      // Watch first, so a close requested while the restored vouchers are being claimed is not missed.
      const unwatch = closeWatches.map((watch) => watch(onError))
      await claimChannels().catch(onError)
      return {
        stop: () => {
          for (const u of unwatch) u()
        },
      }
    },
  }
}

/**
 * Code reads for the payer's signature check, which @x402/evm makes twice in /verify and twice again in
 * /settle. Code once seen stays (contracts do not vanish); "no code" is reused for a moment only and
 * forgotten when this facilitator deploys an account. At worst an account deployed by someone else in
 * that moment is deployed again by the factory call, which returns the existing account.
 */
function cachedCode(client: { getCode(args: { address: Address }): Promise<Hex | undefined> }) {
  const deployed = new Map<string, Hex>()
  const empty = new Map<string, { at: number; read: Promise<Hex | undefined> }>()
  return {
    get(address: Address): Promise<Hex | undefined> {
      const key = address.toLowerCase()
      const known = deployed.get(key)
      if (known) return Promise.resolve(known)
      const recent = empty.get(key)
      if (recent && Date.now() - recent.at < EMPTY_CODE_CACHE_MS) return recent.read
      const read = client.getCode({ address })
      empty.set(key, { at: Date.now(), read })
      read.then(
        (code) => {
          if (code && code !== '0x') {
            deployed.set(key, code)
            empty.delete(key)
          }
        },
        () => empty.delete(key),
      )
      return read
    },
    forgetEmpty<T>(sent: Promise<T>): Promise<T> {
      empty.clear()
      return sent.finally(() => empty.clear())
    },
  }
}

/** Fee estimates reused for a moment: every settlement would otherwise fetch a block and the tip. */
function cachedFees(client: {
  estimateFeesPerGas(): Promise<{ maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint }>
}) {
  let cached: { at: number; fees: Promise<{ maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint }> } | undefined
  return () => {
    if (!cached || Date.now() - cached.at > FEE_CACHE_MS) {
      const fees = client.estimateFeesPerGas()
      cached = { at: Date.now(), fees }
      fees.catch(() => {
        cached = undefined
      })
    }
    return cached.fees
  }
}
