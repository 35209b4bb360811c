/**
 * rollup.seq.transfers_per_s / rollup.seq.erc20_per_s (env node): signed txs submitted through
 * the RPC handler, executed, sealed into blocks with a state root each, persisted to LevelDB
 * (fsync per block). Signing happens before the clock starts.
 * Run: tsx packages/rollup-lite/src/bench/seq.bench.ts (BENCH_HEAP_PROFILE=<prefix> profiles allocations,
 * BENCH_CPU_PROFILE=<prefix> the CPU of the measured window: harness.ts)
 */

import { loadavg } from 'node:os'
import { TestTokenAbi, TestTokenDeployedBytecode } from '@seed/contracts'
import { emit, log, round } from '@seed/testkit/bench'
import { encodeAbiParameters, encodeFunctionData, type Hex, keccak256, numberToHex, parseGwei } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { BENCH_CHAIN_ID, benchGenesis, makeSigners, signTransfers } from './fixtures.ts'
import { benchNode, submitAndPersist } from './harness.ts'

const SENDERS = Number(process.env.BENCH_SENDERS ?? 100)
const PER_SENDER = Number(process.env.BENCH_PER_SENDER ?? 40)
const TOKEN: Hex = '0x00000000000000000000000000000000000e2c20'

/** CPU per tx (steadier than wall time on a shared machine) and the load it was measured under. */
function cpuNotes(cpuMs: number, mainCpuMs: number, txs: number): string {
  const perTx = (ms: number) => round((ms * 1000) / txs, 0)
  return `CPU per tx ${perTx(cpuMs)} µs (process), ${perTx(mainCpuMs)} µs (executing thread); load average ${loadavg()[0]?.toFixed(1)}`
}

async function transfers() {
  const signers = makeSigners(SENDERS)
  log(`signing ${SENDERS * PER_SENDER} transfers...`)
  const warm = await signTransfers(signers, 2)
  const raws = await signTransfers(signers, PER_SENDER, 2)
  const { node, dispose } = await benchNode(benchGenesis(signers))
  await submitAndPersist(node, warm)
  const { ms, cpuMs, mainCpuMs, failed } = await submitAndPersist(node, raws)
  const blocks = node.status().head.number
  await dispose()
  const value = round((raws.length / ms) * 1000, 0)
  log(
    `transfers: ${raws.length} in ${round(ms, 0)} ms (CPU ${round(cpuMs, 0)} ms, executing thread ${round(mainCpuMs, 0)} ms), ${failed} rejected, head ${blocks}`,
  )
  emit({
    bench: 'rollup.seq.transfers_per_s',
    value,
    unit: 'tx/s',
    env: 'node',
    n: raws.length,
    notes: cpuNotes(cpuMs, mainCpuMs, raws.length),
  })
}

async function erc20() {
  const signers = makeSigners(SENDERS)
  // The token is predeployed in genesis with a balance for every signer (OZ ERC20: balances at slot 0).
  const storage: Record<Hex, Hex> = {}
  for (const s of signers) {
    storage[keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [s.address, 0n]))] = numberToHex(
      10n ** 24n,
      { size: 32 },
    )
  }
  storage[numberToHex(2n, { size: 32 })] = numberToHex(BigInt(signers.length) * 10n ** 24n, { size: 32 })
  const genesis = benchGenesis(signers, { [TOKEN]: { code: TestTokenDeployedBytecode, storage } })
  log(`signing ${SENDERS * PER_SENDER} ERC-20 transfers...`)
  const raws: Hex[] = []
  const accounts = signers.map((s) => privateKeyToAccount(s.key))
  for (let n = 0; n < PER_SENDER + 2; n++) {
    for (const [i, a] of accounts.entries()) {
      raws.push(
        await a.signTransaction({
          type: 'eip1559',
          chainId: BENCH_CHAIN_ID,
          to: TOKEN,
          data: encodeFunctionData({
            abi: TestTokenAbi,
            functionName: 'transfer',
            args: [`0x${(0x1000 + i).toString(16).padStart(40, '0')}`, 1n],
          }),
          nonce: n,
          gas: 80_000n,
          maxFeePerGas: parseGwei('100'),
          maxPriorityFeePerGas: 1n,
        }),
      )
    }
  }
  const warm = raws.slice(0, 2 * SENDERS)
  const measured = raws.slice(2 * SENDERS)
  const { node, dispose } = await benchNode(genesis)
  await submitAndPersist(node, warm)
  const { ms, cpuMs, mainCpuMs, failed } = await submitAndPersist(node, measured)
  const receipts = (await node.request('eth_getBlockReceipts', ['latest'])) as { status: string }[]
  await dispose()
  if (receipts.some((r) => r.status !== '0x1')) throw new Error('an ERC-20 transfer failed')
  const value = round((measured.length / ms) * 1000, 0)
  log(
    `erc20: ${measured.length} in ${round(ms, 0)} ms (CPU ${round(cpuMs, 0)} ms, executing thread ${round(mainCpuMs, 0)} ms), ${failed} rejected`,
  )
  emit({
    bench: 'rollup.seq.erc20_per_s',
    value,
    unit: 'tx/s',
    env: 'node',
    n: measured.length,
    notes: cpuNotes(cpuMs, mainCpuMs, measured.length),
  })
}

if (!process.env.ONLY_ERC20) await transfers()
await erc20()
process.exit(0)
