/**
 * `pnpm bench bridge`: the L1 cost of the bridge on a private anvil (docs/decisions/0700).
 * - bridge.withdraw_gas: prove + finalize of an ETH withdrawal, its storage proof taken from a message passer
 *   holding 4,096 withdrawals (a 4-deep secure trie), against OP's ~300k + ~150k.
 * - bridge.l1_bytes_per_deposit / bridge.l1_bytes_per_erc20_deposit: calldata plus every log (topics and data)
 *   of one deposit transaction.
 * bridge.deposit_to_l2_ms is measured with the L2 side, in packages/rollup-lite/src/bench/bridge-deposit.bench.ts.
 */
import { emit, log, stats } from '@seed/testkit'
import { encodeFunctionData, parseEther, size, type TransactionReceipt } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createAgentChain, l2Withdrawal, messagePasserState, startBridgeL1 } from '../../test/bridge-chain.ts'
import { TestTokenAbi } from '../generated/TestToken.ts'
import { depositErc20, depositEth } from './deposit.ts'
import { finalizeWithdrawal, proveWithdrawal } from './withdrawal.ts'

const TRIE_ENTRIES = 4096
const RUNS = 7
const OP_WITHDRAW_GAS = 450_000

const env = await startBridgeL1(31_419)
try {
  const user = env.dev('user')
  const chain = await createAgentChain(env)

  const l1Bytes = async (receipt: TransactionReceipt) => {
    const tx = await env.l1.getTransaction({ hash: receipt.transactionHash })
    const logs = receipt.logs.reduce((sum, l) => sum + 32 * l.topics.length + size(l.data), 0)
    return { calldata: size(tx.input), logs }
  }
  const eth = await l1Bytes(
    await env.send(user, await depositEth(env.l1, { inbox: chain.inbox, to: user.address, amount: parseEther('10') })),
  )
  emit({
    bench: 'bridge.l1_bytes_per_deposit',
    value: eth.calldata + eth.logs,
    unit: 'bytes',
    env: 'node',
    notes: `ETH deposit to self: ${eth.calldata} calldata + ${eth.logs} log bytes (TransactionDeposited)`,
  })
  const token = env.addresses.testToken
  await env.send(user, {
    to: token,
    data: encodeFunctionData({ abi: TestTokenAbi, functionName: 'mint', args: [user.address, parseEther('1')] }),
  })
  const calls = await depositErc20(env.l1, {
    inbox: chain.inbox,
    token,
    owner: user.address,
    to: user.address,
    amount: 1n,
  })
  let receipt: TransactionReceipt | undefined
  for (const call of calls) receipt = await env.send(user, call)
  const erc20 = await l1Bytes(receipt!)
  emit({
    bench: 'bridge.l1_bytes_per_erc20_deposit',
    value: erc20.calldata + erc20.logs,
    unit: 'bytes',
    env: 'node',
    notes: `TestToken via L1StandardBridge (approve not counted): ${erc20.calldata} calldata + ${erc20.logs} log bytes (Transfer, TransactionDeposited, ERC20DepositInitiated)`,
  })

  log(`bridge: building a message passer trie of ${TRIE_ENTRIES} withdrawals`)
  const withdrawals = Array.from({ length: TRIE_ENTRIES }, () =>
    l2Withdrawal({ target: privateKeyToAccount(generatePrivateKey()).address, value: 1000n, gasLimit: 50_000n }),
  )
  const state = await messagePasserState(withdrawals)
  const { index } = await chain.postBatch(state.outputRoot)
  const proofs = await Promise.all(withdrawals.slice(0, RUNS).map((w) => state.proofOf(w)))
  const prove: number[] = []
  for (const [i, w] of withdrawals.slice(0, RUNS).entries()) {
    const call = await proveWithdrawal(env.l1, {
      inbox: chain.inbox,
      withdrawal: w,
      index,
      outputRootPreimage: state.preimage,
      storageProof: proofs[i]!,
    })
    prove.push(Number((await env.send(user, call)).gasUsed))
  }
  await env.travel(chain.config.challengeWindow)
  const finalize: number[] = []
  for (const w of withdrawals.slice(0, RUNS)) {
    const call = await finalizeWithdrawal(env.l1, { inbox: chain.inbox, withdrawal: w })
    finalize.push(Number((await env.send(user, call)).gasUsed))
  }
  const total = stats(prove.map((p, i) => p + finalize[i]!))
  emit({
    bench: 'bridge.withdraw_gas',
    value: total.p50,
    unit: 'gas',
    env: 'node',
    ...total,
    baseline: { name: 'OP Stack prove ~300k + finalize ~150k', value: OP_WITHDRAW_GAS },
    notes: `prove p50 ${stats(prove).p50} + finalize p50 ${stats(finalize).p50}; proof of ${proofs[0]!.length} nodes (trie of ${TRIE_ENTRIES})`,
  })
} finally {
  await env.stop()
}
