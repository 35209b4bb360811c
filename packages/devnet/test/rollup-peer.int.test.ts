import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { createPublicClient, createWalletClient, defineChain, http, parseEther } from 'viem'
import { expect, inject, test } from 'vitest'
import { devAccount } from '../src/accounts.ts'

const manifest = inject('manifest')
const chain = defineChain({
  id: manifest.rollup.chainId,
  name: 'Seed rollup',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [manifest.rollup.rpcUrl] } },
})
const l2 = createPublicClient({ chain, transport: http(), pollingInterval: 100 })
const cli = join(
  dirname(createRequire(import.meta.url).resolve('@seed/rollup-lite/package.json')),
  'bin/rollup-lite.mjs',
)

type Status = {
  head: { number: string; stateRoot: string }
  lastBatch: { l1TxHash: string | null; l2BlockEnd: string | null; cid: string | null }
}

test("the stack's rollup peer batches L2 blocks to L1 + IPFS, and a fresh verifier re-derives its state root", async () => {
  const wallet = createWalletClient({ chain, transport: http(), account: devAccount('user') })
  const to = devAccount('facilitator').address
  const before = await l2.getBalance({ address: to })
  let hash: `0x${string}` | undefined
  for (let i = 0; i < 10; i++) hash = await wallet.sendTransaction({ to, value: parseEther('0.1') })
  expect((await l2.waitForTransactionReceipt({ hash: hash! })).status).toBe('success')
  expect(await l2.getBalance({ address: to })).toBe(before + parseEther('1'))
  const txBlock = (await l2.getTransactionReceipt({ hash: hash! })).blockNumber

  // The peer posts a batch at the latest 10 s after its first block.
  let status: Status
  for (;;) {
    status = (await l2.request({ method: 'rollup_status' } as never)) as Status
    if (status.lastBatch.l2BlockEnd && BigInt(status.lastBatch.l2BlockEnd) >= txBlock) break
    await new Promise((r) => setTimeout(r, 500))
  }
  expect(status.lastBatch.cid).toMatch(/^bafk/)
  const posted = await createPublicClient({ transport: http(manifest.l1.rpcUrl) }).getTransaction({
    hash: status.lastBatch.l1TxHash as `0x${string}`,
  })
  expect(posted.blobVersionedHashes?.length).toBeGreaterThan(0)

  const { stdout } = await promisify(execFile)(process.execPath, [
    cli,
    'verify',
    '--l1',
    manifest.l1.rpcUrl,
    '--inbox',
    manifest.contracts.rollupInbox,
    '--genesis',
    manifest.rollup.genesis,
    '--ipfs',
    manifest.services.ipfsHttp!,
  ])
  const summary = JSON.parse(stdout) as { ok: boolean; head: { number: string; stateRoot: string } }
  expect(summary.ok).toBe(true)
  const derivedHead = await l2.getBlock({ blockNumber: BigInt(summary.head.number) })
  expect(summary.head.stateRoot).toBe(derivedHead.stateRoot)
}, 90_000)
