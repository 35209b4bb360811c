/**
 * eth_call / eth_estimateGas: runs an unsigned tx "from" any address inside a state checkpoint
 * that is always reverted, with optional state overrides. Calls run with base fee 0 (as geth
 * does for gas-price-less calls), so a missing gas price never fails a read.
 */
import { type Block, createBlock } from '@ethereumjs/block'
import { createTx, type TypedTransaction } from '@ethereumjs/tx'
import { createAccount, createAddressFromString, hexToBytes as ejsHexToBytes, setLengthLeft } from '@ethereumjs/util'
import type { RunTxResult, VM } from '@ethereumjs/vm'
import { type Address, type Hex, numberToHex } from 'viem'
import { RpcError } from '../chain/errors.ts'
import type { RollupHeader } from '../chain/types.ts'
import { runTxRestoringDepth } from './executor.ts'

export type CallRequest = {
  from?: Address
  to?: Address | null
  gas?: bigint
  gasPrice?: bigint
  maxFeePerGas?: bigint
  maxPriorityFeePerGas?: bigint
  value?: bigint
  data?: Hex
  nonce?: bigint
  accessList?: { address: Address; storageKeys: Hex[] }[]
  authorizationList?: { chainId: bigint; address: Address; nonce: bigint; yParity: bigint; r: bigint; s: bigint }[]
}

export type StateOverride = Record<
  Address,
  { balance?: bigint; nonce?: bigint; code?: Hex; state?: Record<Hex, Hex>; stateDiff?: Record<Hex, Hex> }
>

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000'

/** The block a call at a past block runs in: that block's own number, time and coinbase. */
export function callBlock(vm: VM, header: Pick<RollupHeader, 'number' | 'timestamp' | 'gasLimit' | 'miner'>): Block {
  return createBlock(
    {
      header: {
        number: header.number,
        timestamp: header.timestamp,
        gasLimit: header.gasLimit,
        coinbase: createAddressFromString(header.miner),
        baseFeePerGas: 0n,
      },
    },
    { common: vm.common, freeze: false },
  )
}

function buildTx(vm: VM, req: CallRequest, gasLimit: bigint): TypedTransaction {
  const base = {
    nonce: req.nonce ?? 0n,
    gasLimit,
    to: req.to ?? undefined,
    value: req.value ?? 0n,
    data: req.data ?? '0x',
  }
  const accessList = req.accessList?.map((a) => ({ address: a.address, storageKeys: a.storageKeys }))
  const common = vm.common
  let tx: TypedTransaction
  if (req.authorizationList && req.authorizationList.length > 0) {
    tx = createTx(
      {
        ...base,
        type: 4,
        maxFeePerGas: req.maxFeePerGas ?? 0n,
        maxPriorityFeePerGas: req.maxPriorityFeePerGas ?? 0n,
        accessList,
        authorizationList: req.authorizationList.map((a) => ({
          chainId: numberToHex(a.chainId),
          address: a.address,
          nonce: numberToHex(a.nonce),
          yParity: numberToHex(a.yParity),
          r: numberToHex(a.r),
          s: numberToHex(a.s),
        })),
      },
      { common, freeze: false, allowUnlimitedInitCodeSize: false },
    )
  } else if (req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined) {
    tx = createTx(
      {
        ...base,
        type: 2,
        maxFeePerGas: req.maxFeePerGas ?? req.maxPriorityFeePerGas ?? 0n,
        maxPriorityFeePerGas: req.maxPriorityFeePerGas ?? 0n,
        accessList,
      },
      { common, freeze: false },
    )
  } else if (accessList) {
    tx = createTx({ ...base, type: 1, gasPrice: req.gasPrice ?? 0n, accessList }, { common, freeze: false })
  } else {
    tx = createTx({ ...base, type: 0, gasPrice: req.gasPrice ?? 0n }, { common, freeze: false })
  }
  const sender = createAddressFromString(req.from ?? ZERO_ADDRESS)
  Object.defineProperty(tx, 'getSenderAddress', { value: () => sender })
  return tx
}

async function applyOverrides(vm: VM, overrides: StateOverride) {
  const sm = vm.stateManager
  for (const [address, o] of Object.entries(overrides)) {
    const addr = createAddressFromString(address)
    const account = (await sm.getAccount(addr)) ?? createAccount({})
    if (o.balance !== undefined) account.balance = o.balance
    if (o.nonce !== undefined) account.nonce = o.nonce
    await sm.putAccount(addr, account)
    if (o.code !== undefined) await sm.putCode(addr, ejsHexToBytes(o.code))
    if (o.state) await sm.clearStorage(addr)
    for (const [slot, value] of Object.entries({ ...o.state, ...o.stateDiff })) {
      await sm.putStorage(addr, setLengthLeft(ejsHexToBytes(slot as Hex), 32), setLengthLeft(ejsHexToBytes(value), 32))
    }
  }
}

/** Runs the call and always reverts its effects. On the live VM: must run inside the node's mutex. */
export async function simulateCall(
  vm: VM,
  block: Block,
  req: CallRequest,
  gasLimit: bigint,
  overrides?: StateOverride,
): Promise<RunTxResult> {
  const sm = vm.stateManager
  await sm.checkpoint()
  try {
    if (overrides) await applyOverrides(vm, overrides)
    return await runTxRestoringDepth(vm, {
      tx: buildTx(vm, req, gasLimit),
      block,
      skipNonce: true,
      skipBalance: true,
      skipHardForkValidation: true,
      skipBlockGasLimitValidation: true,
    })
  } finally {
    await sm.revert()
  }
}

/** geth-style estimate: try the gas actually used, else binary search up to the cap. */
export async function estimateGas(
  vm: VM,
  block: Block,
  req: CallRequest,
  cap: bigint,
  overrides?: StateOverride,
  onGasSpent: (gas: bigint) => void = () => {},
): Promise<{ gas: bigint } | { revert: RunTxResult }> {
  const first = await simulateCall(vm, block, req, cap, overrides)
  onGasSpent(first.totalGasSpent)
  if (first.execResult.exceptionError) return { revert: first }
  const ok = async (gas: bigint) => {
    try {
      const result = await simulateCall(vm, block, req, gas, overrides)
      onGasSpent(result.totalGasSpent)
      return !result.execResult.exceptionError
    } catch (error) {
      // A limit (the call timeout) ends the search; only a tx the VM refuses at this gas is "no".
      if (error instanceof RpcError) throw error
      return false
    }
  }
  const used = first.totalGasSpent + first.gasRefund
  if (await ok(used)) return { gas: used }
  let lo = used
  let hi = cap
  const optimistic = ((used + 2300n) * 64n) / 63n
  if (optimistic < hi && (await ok(optimistic))) hi = optimistic
  while (hi - lo > 1n && (hi - lo) * 1000n > hi) {
    const mid = (lo + hi) / 2n
    if (await ok(mid)) hi = mid
    else lo = mid
  }
  return { gas: hi }
}
