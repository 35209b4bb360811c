/**
 * `pnpm bench bridge`: bridge.deposit_to_l2_ms, from a deposit's L1 inclusion to its L2 balance on a
 * sequencer that reads the portal (SPEC.md §10.2), on a private anvil with Seed's contracts (the
 * contracts package's bridge bench set-up). anvil mines on demand: the bench mines the
 * L1_CONFIRMATION_DEPTH blocks right after the deposit's, so the figure is the node's own latency
 * (its L1 polling every block time, the block that moves its origin); on a real L1 add the depth's
 * 2 × 12 s. The notes give how many L1 blocks after the deposit's the balance showed (goal: the
 * depth, at most 2 more). Then the L2 gas an ERC-20 deposit's `finalizeDeposit` uses on the same node:
 * bridge.erc20_first_deposit_l2_gas (the token's first deposit creates its twin) and
 * bridge.erc20_deposit_l2_gas (a mint to the existing twin), against the gas `depositErc20` buys for each.
 */
import {
  DEFAULT_ERC20_DEPOSIT_GAS,
  depositErc20,
  depositEth,
  FIRST_ERC20_DEPOSIT_GAS,
  l2BridgePredeploys,
  RollupInboxFactoryAbi,
  SeedPortalAbi,
  TestTokenAbi,
} from '@seed/contracts'
import { emit, log, stats } from '@seed/testkit/bench'
import { encodeFunctionData, type Hex, numberToHex, parseEther, parseEventLogs } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createAgentChain, startBridgeL1 } from '../../../contracts/test/bridge-chain.ts'
import { createRollupNode } from '../create-node.ts'
import { decodeDepositLog, depositTransaction, depositTransactionHash } from '../protocol/bridge/deposit.ts'
import { L1_CONFIRMATION_DEPTH } from '../protocol/config.ts'
import { portalDepositSource } from '../sequencer/deposit-feed.ts'
import { memoryKv } from '../state/memory-kv.ts'

const RUNS = 9
const BLOCK_TIME_MS = 100

const env = await startBridgeL1(31_421)
try {
  const user = env.dev('user')
  const chain = await createAgentChain(env)
  const chainId = await env.l1.readContract({
    address: env.addresses.rollupInboxFactory,
    abi: RollupInboxFactoryAbi,
    functionName: 'chainIdOf',
    args: [chain.inbox],
  })
  const node = await createRollupNode({
    kv: memoryKv(),
    // The bridge predeploys (SPEC §10.4) for the ERC-20 deposits; nobody is funded.
    genesis: { chainId: Number(chainId), timestamp: 0, alloc: l2BridgePredeploys({ inbox: chain.inbox }) },
    blockTime: BLOCK_TIME_MS,
    deposits: portalDepositSource(env.l1, { inbox: chain.inbox }),
  })
  const samples: number[] = []
  const blocksAfter: bigint[] = []
  for (let run = 0; run < RUNS + 1; run++) {
    const to = privateKeyToAccount(generatePrivateKey()).address
    const receipt = await env.send(user, await depositEth(env.l1, { inbox: chain.inbox, to, amount: parseEther('1') }))
    const included = performance.now()
    await env.l1.request({ method: 'anvil_mine', params: [numberToHex(L1_CONFIRMATION_DEPTH)] } as never)
    while (BigInt((await node.request('eth_getBalance', [to, 'latest'])) as Hex) === 0n) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    // Run 0 warms the node up (first L1 reads, first blocks).
    if (run === 0) continue
    samples.push(performance.now() - included)
    blocksAfter.push((await env.l1.getBlockNumber()) - receipt.blockNumber)
    log(`deposit ${run}: ${Math.round(samples.at(-1)!)} ms`)
  }
  const s = stats(samples)
  emit({
    bench: 'bridge.deposit_to_l2_ms',
    value: s.p50,
    unit: 'ms',
    env: 'node',
    ...s,
    notes: `anvil mining the ${L1_CONFIRMATION_DEPTH}-block confirmation depth at once; node block time ${BLOCK_TIME_MS} ms; balance seen ${blocksAfter.map(String).join('/')} L1 blocks after the deposit's`,
  })

  /** Deposits 1 unit of `token` through the L1 bridge with `depositErc20`'s gas; the L2 gas its call used. */
  const erc20DepositL2Gas = async (token: Hex) => {
    let receipt: Awaited<ReturnType<typeof env.send>> | undefined
    const calls = await depositErc20(env.l1, {
      inbox: chain.inbox,
      token,
      owner: user.address,
      to: user.address,
      amount: 1n,
    })
    for (const call of calls) receipt = await env.send(user, call)
    const [logged] = parseEventLogs({ abi: SeedPortalAbi, eventName: 'TransactionDeposited', logs: receipt!.logs })
    const l2Hash = depositTransactionHash(depositTransaction(decodeDepositLog(logged!)))
    await env.l1.request({ method: 'anvil_mine', params: [numberToHex(L1_CONFIRMATION_DEPTH)] } as never)
    for (;;) {
      const r = (await node.request('eth_getTransactionReceipt', [l2Hash])) as { status: Hex; gasUsed: Hex } | null
      if (r?.status === '0x0') throw new Error(`the ERC-20 deposit ${l2Hash} failed on L2`)
      if (r) return BigInt(r.gasUsed)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  const token = env.addresses.testToken
  await env.send(user, {
    to: token,
    data: encodeFunctionData({ abi: TestTokenAbi, functionName: 'mint', args: [user.address, 10n] }),
  })
  const first = await erc20DepositL2Gas(token)
  const next = await erc20DepositL2Gas(token)
  await node.close()
  emit({
    bench: 'bridge.erc20_first_deposit_l2_gas',
    value: Number(first),
    unit: 'gas',
    env: 'node',
    notes: `the token's first deposit: finalizeDeposit creates the twin; depositErc20 buys ${FIRST_ERC20_DEPOSIT_GAS}`,
  })
  emit({
    bench: 'bridge.erc20_deposit_l2_gas',
    value: Number(next),
    unit: 'gas',
    env: 'node',
    notes: `a mint to the existing twin; depositErc20 buys ${DEFAULT_ERC20_DEPOSIT_GAS}`,
  })
} finally {
  await env.stop()
}
