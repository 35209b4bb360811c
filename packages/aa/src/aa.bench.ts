/**
 * `pnpm bench aa` (or `tsx packages/aa/src/aa.bench.ts`): user-op latency through alto, user-op gas against a
 * plain EOA transfer, and the policy check time. Starts its own devnet (no manifest written).
 */
import { devAccount, startStack } from '@seed/devnet'
import { emit, log, round, stats } from '@seed/testkit/bench'
import { createPublicClient, createWalletClient, encodeFunctionData, erc20Abi, http, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { createAgentAccount } from './account/createAgentAccount.ts'
import { executeCalls, sendCalls } from './account/sendCalls.ts'
import { createActionPipeline } from './actions/createActionPipeline.ts'
import { recordAction } from './policy/evaluatePolicy.ts'
import { type Action, initialPolicyState, type Policy } from './policy/types.ts'
import { createMemoryStorage } from './storage.ts'

const OPS = Number(process.env.AA_BENCH_OPS ?? 20)

async function benchUserOps() {
  const stack = await startStack({ manifestPath: false, onStep: (s, ms) => log(`devnet: ${s} ${ms} ms`) })
  try {
    const { manifest } = stack
    const transport = http(manifest.l1.rpcUrl)
    const client = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
    const funder = createWalletClient({ chain: foundry, transport, account: devAccount('user') })
    const agent = await createAgentAccount(client, {
      factoryAddress: manifest.contracts.seedAccountFactory,
      bundlerUrl: manifest.bundler.url,
      owner: privateKeyToAccount(generatePrivateKey()),
      pollingInterval: 50,
    })
    await client.waitForTransactionReceipt({
      hash: await funder.sendTransaction({ to: agent.address, value: parseEther('10') }),
    })
    const recipient = privateKeyToAccount(generatePrivateKey()).address
    const deploy = await executeCalls(agent, { calls: [{ to: recipient, value: 1n }] })
    log(`deploy op: ${deploy.actualGasUsed} gas charged, tx gasUsed ${deploy.receipt.gasUsed}`)

    const ms: number[] = []
    const txGas: bigint[] = []
    const charged: bigint[] = []
    for (let i = 0; i < OPS; i++) {
      const started = performance.now()
      const hash = await sendCalls(agent, { calls: [{ to: recipient, value: 1000n }] })
      const receipt = await agent.bundler.waitForUserOperationReceipt({ hash, pollingInterval: 20 })
      ms.push(performance.now() - started)
      txGas.push(receipt.receipt.gasUsed)
      charged.push(receipt.actualGasUsed)
    }
    const s = stats(ms)
    emit({
      bench: 'aa.userop_ms',
      value: round(s.p50),
      unit: 'ms',
      env: 'node',
      n: s.n,
      p50: round(s.p50),
      p99: round(s.p99),
      min: round(s.min),
      max: round(s.max),
      notes:
        'submit (prepare+estimate+sign+eth_sendUserOperation) to receipt, deployed SeedAccount, ETH transfer, alto --block-time 250 on anvil automine',
    })

    const eoaHash = await funder.sendTransaction({ to: recipient, value: 1000n })
    const eoaGas = (await client.waitForTransactionReceipt({ hash: eoaHash })).gasUsed
    const median = (xs: bigint[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[Math.floor(xs.length / 2)]!
    emit({
      bench: 'aa.userop_gas',
      value: Number(median(txGas)),
      unit: 'gas',
      env: 'node',
      n: txGas.length,
      baseline: { name: 'eoa_eth_transfer', value: Number(eoaGas) },
      notes: `handleOps tx gasUsed for one op (ETH transfer from a deployed SeedAccount, EIP-1167 clone); the account is charged actualGasUsed ${median(charged)} (incl. preVerificationGas)`,
    })
  } finally {
    await stack.stop()
  }
}

async function benchPolicy() {
  const token = '0x5fc8d32690cc91d4c39d9d3abcbd16989f875707' as const
  const shop = '0x00000000000000000000000000000000000000a1' as const
  const policy: Policy = {
    perTxCap: { eth: parseEther('1'), [token]: 1_000_000_000n },
    budgets: [
      { asset: 'eth', limit: parseEther('5'), periodSeconds: 86_400 },
      { asset: token, limit: 10_000_000_000n, periodSeconds: 86_400 },
    ],
    allowTargets: [token, shop],
    denySelectors: ['0x23b872dd'],
    rateLimit: { max: 1_000_000, windowSeconds: 60 },
    approvalAbove: { eth: parseEther('0.5'), [token]: 500_000_000n },
  }
  const action: Action = {
    requestedBy: 'bench',
    account: '0x00000000000000000000000000000000000000aa',
    calls: [
      { to: shop, value: 1000n },
      { to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [shop, 1_000_000n] }) },
    ],
  }
  let state = initialPolicyState()
  const now = Date.now()
  for (let i = 0; i < 50; i++) state = recordAction(policy, state, action, now + i) // some history to scan
  const storage = createMemoryStorage()
  await storage.set('bench.state', state)
  // The full reservation path an action takes: lock, read the ledger, evaluate, write the reservation.
  const pipeline = createActionPipeline({ storage, policy, stateKey: 'bench.state', now: () => now + 100 })
  const perBatch = 200
  const reserveMicros = async (i: number) => {
    const started = performance.now()
    await pipeline.reserve(`r${i}`, action)
    const micros = (performance.now() - started) * 1000
    await pipeline.release(`r${i}`) // keeps the ledger at 50 entries; not timed
    return micros
  }
  for (let i = 0; i < perBatch * 5; i++) await reserveMicros(i) // warm-up (JIT)
  const samples: number[] = []
  for (let s = 0; s < 50; s++) {
    let total = 0
    for (let i = 0; i < perBatch; i++) total += await reserveMicros(i)
    samples.push(total / perBatch)
  }
  const s = stats(samples)
  emit({
    bench: 'aa.policy_check_us',
    value: round(s.p50, 3),
    unit: 'us',
    env: 'node',
    n: s.n,
    p50: round(s.p50, 3),
    p99: round(s.p99, 3),
    notes: `pipeline.reserve under the in-memory lock, over in-memory storage (version read, evaluatePolicy, ledger write; mean of ${perBatch} per sample): 2 calls incl. ERC-20 decode, caps, 2 budgets over a 50-entry rolling ledger, allowlist, denylist, rate limit, approval threshold`,
  })
}

// `pnpm bench aa.policy` runs only the pure check (no devnet).
const filter = process.env.BENCH_FILTER ?? ''
await benchPolicy()
if (!filter.includes('policy')) await benchUserOps()
