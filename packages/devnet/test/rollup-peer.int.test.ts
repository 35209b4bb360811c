import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { depositEth, RollupInboxFactoryAbi } from '@seed/contracts'
import { createPublicClient, createWalletClient, defineChain, http, numberToHex, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
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
const l1Chain = { ...foundry, id: manifest.l1.chainId }
const l1 = createPublicClient({ chain: l1Chain, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
const cli = join(
  dirname(createRequire(import.meta.url).resolve('@seed/rollup-lite/package.json')),
  'bin/rollup-lite.mjs',
)

type Status = {
  head: { number: string; stateRoot: string }
  lastBatch: { l1TxHash: string | null; l2BlockEnd: string | null; cid: string | null }
}

test("the stack's rollup peer runs under the chain id the inbox factory registered for its inbox", async () => {
  const registered = await l1.readContract({
    address: manifest.contracts.rollupInboxFactory,
    abi: RollupInboxFactoryAbi,
    functionName: 'chainIdOf',
    args: [manifest.contracts.rollupInbox],
  })
  expect(manifest.rollup.chainId).toBe(Number(registered))
  expect(await l2.getChainId()).toBe(Number(registered))
})

test("an ETH deposit to the stack's inbox is minted on its rollup once its L1 block is confirmed", async () => {
  const depositor = privateKeyToAccount(generatePrivateKey())
  await l1.request({ method: 'anvil_setBalance', params: [depositor.address, numberToHex(parseEther('10'))] } as never)
  const recipient = privateKeyToAccount(generatePrivateKey()).address
  const call = await depositEth(l1, { inbox: manifest.contracts.rollupInbox, to: recipient, amount: parseEther('3') })
  const l1Wallet = createWalletClient({ chain: l1Chain, transport: http(manifest.l1.rpcUrl), account: depositor })
  const receipt = await l1.waitForTransactionReceipt({ hash: await l1Wallet.sendTransaction(call) })
  expect(receipt.status).toBe('success')
  // The test devnet mines only what is sent (pnpm dev's L1 also mines every 2 s): two blocks confirm it.
  await l1.request({ method: 'anvil_mine', params: [numberToHex(2)] } as never)
  const deadline = Date.now() + 20_000
  while ((await l2.getBalance({ address: recipient })) !== parseEther('3')) {
    if (Date.now() > deadline) throw new Error('the deposit never reached the rollup peer')
    await new Promise((r) => setTimeout(r, 200))
  }
  // Minted by a deposit transaction (0x7e) from the depositor, first in its L2 block.
  type RawTx = { type: string; from: string; to: string | null; transactionIndex: string }
  let deposit: RawTx | undefined
  for (let n = await l2.getBlockNumber(); !deposit && n > 0n; n--) {
    const block = (await l2.request({
      method: 'eth_getBlockByNumber',
      params: [numberToHex(n), true],
    } as never)) as { transactions: RawTx[] }
    deposit = block.transactions.find((t) => t.to?.toLowerCase() === recipient.toLowerCase())
  }
  expect(deposit).toMatchObject({ type: '0x7e', from: depositor.address.toLowerCase(), transactionIndex: '0x0' })
}, 60_000)

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
    '--deposits',
  ])
  const summary = JSON.parse(stdout) as { ok: boolean; head: { number: string; stateRoot: string } }
  expect(summary.ok).toBe(true)
  const derivedHead = await l2.getBlock({ blockNumber: BigInt(summary.head.number) })
  expect(summary.head.stateRoot).toBe(derivedHead.stateRoot)
}, 90_000)
