/**
 * Deposits (docs/decisions/0700): the portal's `TransactionDeposited` event and its opaque data, and the calls
 * that deposit ETH (portal) or an ERC-20 (approve + L1StandardBridge). Reads check what the portal would refuse.
 */
import {
  type Address,
  encodeFunctionData,
  encodePacked,
  erc20Abi,
  type Hex,
  hexToBigInt,
  hexToBool,
  type Log,
  parseEventLogs,
  size,
  sliceHex,
} from 'viem'
import { readContract } from 'viem/actions'
import { L1StandardBridgeAbi } from '../generated/L1StandardBridge.ts'
import { SeedPortalAbi } from '../generated/SeedPortal.ts'
import { requireBridgeConfig } from './config.ts'
import { L1_STANDARD_BRIDGE, SEED_PORTAL } from './constants.ts'
import { DepositGasError } from './errors.ts'
import type { BridgeCall, L1Client } from './types.ts'

/** What `opaqueData` packs: `abi.encodePacked(uint256 mint, uint256 value, uint64 gasLimit, bool isCreation, bytes data)`. */
export type DepositOpaqueData = { mint: bigint; value: bigint; gasLimit: bigint; isCreation: boolean; data: Hex }

export type TransactionDeposited = {
  inbox: Address
  from: Address
  to: Address
  nonce: bigint
  opaque: DepositOpaqueData
  l1BlockHash: Hex
  logIndex: number
}

export function encodeDepositOpaqueData(d: DepositOpaqueData): Hex {
  return encodePacked(
    ['uint256', 'uint256', 'uint64', 'bool', 'bytes'],
    [d.mint, d.value, d.gasLimit, d.isCreation, d.data],
  )
}

/** Inverse of encodeDepositOpaqueData (fixed 73-byte head, then the call data). */
export function decodeDepositOpaqueData(opaque: Hex): DepositOpaqueData {
  if (size(opaque) < 73) throw new Error(`deposit opaqueData of ${size(opaque)} bytes: at least 73 expected`)
  return {
    mint: hexToBigInt(sliceHex(opaque, 0, 32)),
    value: hexToBigInt(sliceHex(opaque, 32, 64)),
    gasLimit: hexToBigInt(sliceHex(opaque, 64, 72)),
    isCreation: hexToBool(sliceHex(opaque, 72, 73)),
    data: size(opaque) === 73 ? '0x' : sliceHex(opaque, 73),
  }
}

/** The portal's deposits among `logs` (a receipt's, or a log query's), in log order. */
export function parseTransactionDeposited(logs: readonly Log[]): TransactionDeposited[] {
  return parseEventLogs({ abi: SeedPortalAbi, eventName: 'TransactionDeposited', logs: [...logs] })
    .filter((log) => log.address.toLowerCase() === SEED_PORTAL.toLowerCase())
    .map((log) => ({
      inbox: log.args.inbox,
      from: log.args.from,
      to: log.args.to,
      nonce: log.args.nonce,
      opaque: decodeDepositOpaqueData(log.args.opaqueData),
      l1BlockHash: log.blockHash!,
      logIndex: log.logIndex!,
    }))
}

/** OP's rule, as the portal applies it: 21,000 plus 40 per byte of call data. */
export function minimumDepositGas(data: Hex): bigint {
  return 21_000n + 40n * BigInt(size(data))
}

/** L2 gas an ERC-20 deposit's `finalizeDeposit` call gets by default once the token's twin exists (a mint). */
export const DEFAULT_ERC20_DEPOSIT_GAS = 250_000n
/**
 * L2 gas the token's first deposit to a chain needs: `finalizeDeposit` also creates the twin (CREATE2 of
 * `L2TwinERC20`, about 620,000 gas measured). With less the L2 call fails and the tokens stay in the L1 escrow
 * with nothing minted on L2, so `depositErc20` defaults to this, and refuses less, while the chain holds none
 * of the token in escrow.
 */
export const FIRST_ERC20_DEPOSIT_GAS = 800_000n

/**
 * What the portal would refuse in any block: below the minimum, or above the chain's per-block budget (a block
 * already filled by other deposits still reverts: the budget left depends on the block the deposit lands in).
 */
async function checkDepositGas(client: L1Client, inbox: Address, gasLimit: bigint, data: Hex) {
  const { maxDepositGasPerBlock } = await requireBridgeConfig(client, { inbox })
  const minimum = minimumDepositGas(data)
  if (gasLimit < minimum) throw new DepositGasError(gasLimit, `is below the minimum ${minimum}`)
  if (gasLimit > maxDepositGasPerBlock) {
    throw new DepositGasError(gasLimit, `exceeds the chain's ${maxDepositGasPerBlock} per L1 block`)
  }
}

/**
 * Deposits `amount` wei into the chain of `inbox`, minted to the sender on L2 (its alias when the sender is a
 * contract, such as a smart account), which then calls `to` with `value` and `data`. A plain ETH deposit to
 * yourself: `to` = your L2 address, `value` = `amount`.
 */
export async function depositEth(
  client: L1Client,
  {
    inbox,
    to,
    amount,
    value = amount,
    gasLimit = 100_000n,
    data = '0x',
  }: { inbox: Address; to: Address; amount: bigint; value?: bigint; gasLimit?: bigint; data?: Hex },
): Promise<BridgeCall> {
  await checkDepositGas(client, inbox, gasLimit, data)
  return {
    to: SEED_PORTAL,
    data: encodeFunctionData({
      abi: SeedPortalAbi,
      functionName: 'depositTransaction',
      args: [inbox, to, value, gasLimit, false, data],
    }),
    value: amount,
  }
}

/**
 * Deposits `amount` of `token` from `owner` into the chain of `inbox`, credited to `to` on L2 as the token's
 * twin: an `approve` of the L1StandardBridge first when its allowance is short, then the bridge's deposit.
 */
export async function depositErc20(
  client: L1Client,
  {
    inbox,
    token,
    owner,
    to,
    amount,
    gasLimit: requested,
  }: { inbox: Address; token: Address; owner: Address; to: Address; amount: bigint; gasLimit?: bigint },
): Promise<BridgeCall[]> {
  const l2Call = encodeFinalizeDeposit({ l1Token: token, from: owner, to, amount })
  // Nothing of the token escrowed for this chain: this deposit (probably) creates the twin on L2.
  const escrowed = await readContract(client, {
    address: L1_STANDARD_BRIDGE,
    abi: L1StandardBridgeAbi,
    functionName: 'escrow',
    args: [inbox, token],
  })
  const gasLimit = requested ?? (escrowed === 0n ? FIRST_ERC20_DEPOSIT_GAS : DEFAULT_ERC20_DEPOSIT_GAS)
  if (escrowed === 0n && gasLimit < FIRST_ERC20_DEPOSIT_GAS) {
    throw new DepositGasError(
      gasLimit,
      `is below ${FIRST_ERC20_DEPOSIT_GAS}, what the token's first deposit to this chain needs to create its L2 twin`,
    )
  }
  await checkDepositGas(client, inbox, gasLimit, l2Call)
  const allowance = await readContract(client, {
    address: token,
    abi: erc20Abi,
    functionName: 'allowance',
    args: [owner, L1_STANDARD_BRIDGE],
  })
  const deposit: BridgeCall = {
    to: L1_STANDARD_BRIDGE,
    data: encodeFunctionData({
      abi: L1StandardBridgeAbi,
      functionName: 'depositERC20',
      args: [inbox, token, to, amount, gasLimit],
    }),
    value: 0n,
  }
  if (allowance >= amount) return [deposit]
  const approve = encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [L1_STANDARD_BRIDGE, amount] })
  return [{ to: token, data: approve, value: 0n }, deposit]
}

const finalizeDepositAbi = [
  {
    type: 'function',
    name: 'finalizeDeposit',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'l1Token', type: 'address' },
      { name: 'from', type: 'address' },
      { name: 'to', type: 'address' },
      { name: 'amount', type: 'uint256' },
    ],
    outputs: [],
  },
] as const

/** The L2 call an ERC-20 deposit carries: `L2StandardBridge.finalizeDeposit(l1Token, from, to, amount)`. */
export function encodeFinalizeDeposit(p: { l1Token: Address; from: Address; to: Address; amount: bigint }): Hex {
  return encodeFunctionData({
    abi: finalizeDepositAbi,
    functionName: 'finalizeDeposit',
    args: [p.l1Token, p.from, p.to, p.amount],
  })
}
