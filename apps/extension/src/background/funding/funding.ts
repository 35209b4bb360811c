/**
 * What the agent needs before its next steps (decision 0432), for the Fund screen and for "Start
 * batching": the smart account pays its own gas, so it must hold each step's value plus the most
 * its user op can cost up front (every gas limit × the bundler's fee per gas now).
 */
import { getUserOperationGasPrice } from '@seed/aa'
import { type Address, createClient, formatEther, formatGwei, type Hex, http } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { getDevnetConfig } from '../../core/config.ts'
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'
import type { FundingStepId, FundingView } from '../../core/protocol.ts'
import type { Call } from '../../core/services.ts'
import { stored } from '../../core/storage.ts'
import { accountService } from '../account/account.ts'
import { l1Client } from '../account/clients.ts'
import { batcherKeyOf, guardianKeyOf } from '../account/derived-keys.ts'
import { estimateUnfundedUserOperationFee, LockedError } from '../account/seed-account.ts'
import { startBatchingCalls } from '../rollup/inbox-call.ts'
import { rollupService } from '../rollup/rollup.ts'

const STEP_LABEL: Record<FundingStepId, string> = {
  firstUserOp: 'the first user operation',
  startBatching: 'starting batching',
}

/** "Start batching" (or another step) refused before signing: the smart account holds too little. */
export class InsufficientFundsError extends ProviderRpcError {
  override name = 'InsufficientFundsError'
  constructor(step: FundingStepId, needWei: bigint, haveWei: bigint) {
    super(
      ErrorCode.transactionRejected,
      `Fund your agent first: ${STEP_LABEL[step]} needs at least ${formatEther(needWei)} ETH in the smart account at the current gas price; it holds ${formatEther(haveWei)} ETH.`,
      { reason: 'insufficientFunds', step, needWei: needWei.toString(), haveWei: haveWei.toString() },
    )
  }
}

/**
 * Gas (every limit summed) of each step's op, per account state: it changes only when the account is
 * deployed, so one estimate serves every poll of the open popup; the fee per gas is read each time.
 */
const gasCache = new Map<string, bigint>()

async function stepGas(key: string, calls: Call[]): Promise<bigint> {
  const cached = gasCache.get(key)
  if (cached !== undefined) return cached
  const { gas } = await estimateUnfundedUserOperationFee(calls)
  gasCache.set(key, gas)
  return gas
}

type Step = { id: FundingStepId; needWei: bigint; done: boolean }

/** Each next step's need in wei at the bundler's fee now, and whether it is already done. */
async function fundingSteps(smartAccount: Address) {
  const session = await stored.unlocked.get()
  if (!session) throw new LockedError()
  const config = await getDevnetConfig()
  const l1 = await l1Client()
  const factory = config.contracts.rollupInboxFactory as Address | undefined
  const [code, price] = await Promise.all([
    l1.getCode({ address: smartAccount }),
    getUserOperationGasPrice(createClient({ transport: http(config.bundlerUrl) })),
  ])
  const deployed = code !== undefined && code !== '0x'
  const state = `${smartAccount}:${deployed}`
  // The cheapest op there is (a call to itself): what any first action needs, on top of its value.
  const noop = await stepGas(`${state}:noop`, [{ to: smartAccount, value: 0n, data: '0x' }])
  const steps: Step[] = [{ id: 'firstUserOp', needWei: noop * price.maxFeePerGas, done: deployed }]
  if (factory) {
    // The inbox and its bridge config (decision 0702): one op, the batcher's funding and the proposer's bond as value.
    const { calls } = await startBatchingCalls(l1, {
      factory,
      smartAccount,
      batcher: privateKeyToAddress(batcherKeyOf(session.privateKey)),
      guardian: privateKeyToAddress(guardianKeyOf(session.privateKey)),
      network: await stored.activeNetwork.get(),
      devnetForceWindow: config.bridgeForceWindow,
    })
    const batching = calls.length === 0
    const gas = batching ? 0n : await stepGas(`${state}:startBatching:${calls.length}`, calls)
    const value = calls.reduce((sum, c) => sum + (c.value ?? 0n), 0n)
    steps.push({ id: 'startBatching', needWei: batching ? 0n : value + gas * price.maxFeePerGas, done: batching })
  }
  return { steps, maxFeePerGas: price.maxFeePerGas }
}

/** Throws `InsufficientFundsError` unless the smart account holds what the step needs now. */
export async function assertFundedFor(id: FundingStepId) {
  const info = await accountService.info()
  if (!info) return
  const [{ steps }, have] = await Promise.all([
    fundingSteps(info.smartAccount),
    (await l1Client()).getBalance({ address: info.smartAccount }),
  ])
  const step = steps.find((s) => s.id === id)
  if (step && !step.done && have < step.needWei) throw new InsufficientFundsError(id, step.needWei, have)
}

/** The Fund screen: both addresses, live balances, each next step's need, whether a faucet exists. */
export async function fundingView(): Promise<FundingView | null> {
  const info = await accountService.info()
  if (!info) return null
  const config = await getDevnetConfig()
  const errors: string[] = []
  const [l1Wei, l2Wei, needs] = await Promise.all([
    (await l1Client()).getBalance({ address: info.smartAccount }).catch((e: Error) => {
      errors.push(`L1: ${e.message}`)
      return undefined
    }),
    rollupService.request('eth_getBalance', [info.rollupAccount, 'latest']).then(
      (wei) => BigInt(wei as Hex),
      (e: Error) => {
        errors.push(`rollup: ${e.message}`)
        return undefined
      },
    ),
    fundingSteps(info.smartAccount).catch((e: Error) => {
      errors.push(`gas estimate: ${(e as { shortMessage?: string }).shortMessage ?? e.message}`)
      return undefined
    }),
  ])
  return {
    smartAccount: info.smartAccount,
    rollupAccount: info.rollupAccount,
    l1ChainId: config.l1.chainId,
    rollupChainId: info.rollup.chainId,
    l1Eth: l1Wei === undefined ? undefined : formatEther(l1Wei),
    l2Eth: l2Wei === undefined ? undefined : formatEther(l2Wei),
    maxFeePerGasGwei: needs ? formatGwei(needs.maxFeePerGas) : undefined,
    steps: (needs?.steps ?? []).map((s) => ({
      id: s.id,
      needEth: formatEther(s.needWei),
      done: s.done,
      ready: s.done || (l1Wei !== undefined && l1Wei >= s.needWei),
    })),
    faucet: config.services.faucet !== undefined,
    ...(errors.length ? { error: errors.join('; ') } : {}),
  }
}
