/** RollupInboxFactory (decision 0405): one inbox per owner, the batcher funded in the same call. */
import { RollupInboxAbi, RollupInboxFactoryAbi } from '@seed/contracts'
import { rollupChainIdOf } from '@seed/rollup-lite'
import {
  type BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  http,
  parseEther,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { expect, inject, test } from 'vitest'
import { devAccount } from '../src/accounts.ts'

const manifest = inject('manifest')
const transport = http(manifest.l1.rpcUrl)
const l1 = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
const factory = manifest.contracts.rollupInboxFactory

test('an owner creates its inbox at the predicted address, owning it, with its batcher funded; only once', async () => {
  const owner = privateKeyToAccount(generatePrivateKey())
  const batcher = privateKeyToAccount(generatePrivateKey()).address
  const funder = createWalletClient({ chain: foundry, transport, account: devAccount('user') })
  await l1.waitForTransactionReceipt({
    hash: await funder.sendTransaction({ to: owner.address, value: parseEther('1') }),
  })
  const wallet = createWalletClient({ chain: foundry, transport, account: owner })

  const predicted = await l1.readContract({
    address: factory,
    abi: RollupInboxFactoryAbi,
    functionName: 'predictInbox',
    args: [owner.address, batcher],
  })
  const hash = await wallet.writeContract({
    address: factory,
    abi: RollupInboxFactoryAbi,
    functionName: 'createInbox',
    args: [batcher],
    value: parseEther('0.05'),
  })
  expect((await l1.waitForTransactionReceipt({ hash })).status).toBe('success')

  const inbox = await l1.readContract({
    address: factory,
    abi: RollupInboxFactoryAbi,
    functionName: 'inboxOf',
    args: [owner.address],
  })
  expect(inbox).toBe(predicted)
  expect(inbox).not.toBe(manifest.contracts.rollupInbox)
  expect(await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'owner' })).toBe(owner.address)
  expect(await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'sequencer' })).toBe(batcher)
  expect(await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'batchCount' })).toBe(0n)
  expect(await l1.getBalance({ address: batcher })).toBe(parseEther('0.05'))

  const again = await l1
    .simulateContract({
      account: owner,
      address: factory,
      abi: RollupInboxFactoryAbi,
      functionName: 'createInbox',
      args: [batcher],
    })
    .catch((e: BaseError) => e.walk((c) => c instanceof ContractFunctionRevertedError))
  expect((again as ContractFunctionRevertedError).data?.errorName).toBe('InboxExists')
})

test('each inbox registers its own chain id, the one predicted before it existed and the one the SPEC rule gives', async () => {
  const owner = privateKeyToAccount(generatePrivateKey())
  const batcher = privateKeyToAccount(generatePrivateKey()).address
  const funder = createWalletClient({ chain: foundry, transport, account: devAccount('user') })
  await l1.waitForTransactionReceipt({
    hash: await funder.sendTransaction({ to: owner.address, value: parseEther('1') }),
  })
  const args = [owner.address, batcher] as const
  const inbox = await l1.readContract({
    address: factory,
    abi: RollupInboxFactoryAbi,
    functionName: 'predictInbox',
    args,
  })
  const predicted = await l1.readContract({
    address: factory,
    abi: RollupInboxFactoryAbi,
    functionName: 'predictChainId',
    args,
  })
  expect(Number(predicted)).toBe(rollupChainIdOf(manifest.l1.chainId, inbox))

  const wallet = createWalletClient({ chain: foundry, transport, account: owner })
  const hash = await wallet.writeContract({
    address: factory,
    abi: RollupInboxFactoryAbi,
    functionName: 'createInbox',
    args: [batcher],
  })
  await l1.waitForTransactionReceipt({ hash })
  const registered = await l1.readContract({
    address: factory,
    abi: RollupInboxFactoryAbi,
    functionName: 'chainIdOf',
    args: [inbox],
  })
  expect(registered).toBe(predicted)
  expect(
    await l1.readContract({
      address: factory,
      abi: RollupInboxFactoryAbi,
      functionName: 'inboxOfChainId',
      args: [registered],
    }),
  ).toBe(inbox)
  // Another agent's chain never gets the same id.
  const other = await l1.readContract({
    address: factory,
    abi: RollupInboxFactoryAbi,
    functionName: 'predictChainId',
    args: [privateKeyToAccount(generatePrivateKey()).address, batcher],
  })
  expect(other).not.toBe(registered)
})
