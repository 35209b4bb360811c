/**
 * Differential: one transaction script run on anvil (the devnet L1, Prague) and on rollup-lite
 * must give the same status, gasUsed and logs for every tx — a contract deploy, ERC-20 mint and
 * transfer, a revert, an EIP-2930 tx, a legacy tx, an EIP-1559 transfer and an EIP-7702 tx.
 */
import { TestTokenAbi, TestTokenBytecode } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import {
  type Chain,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  encodeFunctionData,
  getContractAddress,
  type Hex,
  http,
  keccak256,
  parseEther,
  parseGwei,
  type TransactionReceipt,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { startTestNode, type TestNode, testGenesis } from './testing.ts'

const manifest = inject('manifest')
const sender = privateKeyToAccount(generatePrivateKey())
const authority = privateKeyToAccount(generatePrivateKey())
const RECIPIENT = '0x0000000000000000000000000000000000d1ff00'

type Outcome = { status: string; gasUsed: bigint; logs: { address: string; topics: string[]; data: string }[] }

async function runScript(chain: Chain, url: string): Promise<Outcome[]> {
  const pub = createPublicClient({ chain, transport: http(url), pollingInterval: 20 })
  const wallet = createWalletClient({ chain, transport: http(url), account: sender })
  const fees = { maxFeePerGas: parseGwei('50'), maxPriorityFeePerGas: parseGwei('1') }
  const token = getContractAddress({ from: sender.address, nonce: 0n })
  const call = (functionName: 'mint' | 'transfer', args: readonly [Hex, bigint]) =>
    encodeFunctionData({ abi: TestTokenAbi, functionName, args } as never)
  const balanceSlot = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [sender.address, 0n]))
  const authorization = await wallet.signAuthorization({
    account: authority,
    contractAddress: token,
    chainId: chain.id,
    nonce: 0,
  })
  const hashes: Hex[] = []
  // Explicit gas everywhere: the comparison is about execution, not estimation.
  hashes.push(
    await wallet.deployContract({
      abi: TestTokenAbi,
      bytecode: TestTokenBytecode,
      args: ['Diff', 'DIFF'],
      gas: 3_000_000n,
      nonce: 0,
      ...fees,
    }),
  )
  hashes.push(
    await wallet.sendTransaction({
      to: token,
      data: call('mint', [sender.address, 1_000n]),
      gas: 200_000n,
      nonce: 1,
      ...fees,
    }),
  )
  hashes.push(
    await wallet.sendTransaction({
      to: token,
      data: call('transfer', [RECIPIENT, 100n]),
      gas: 200_000n,
      nonce: 2,
      ...fees,
    }),
  )
  // Transfer more than the balance: ERC20InsufficientBalance revert.
  hashes.push(
    await wallet.sendTransaction({
      to: token,
      data: call('transfer', [RECIPIENT, 10_000n]),
      gas: 200_000n,
      nonce: 3,
      ...fees,
    }),
  )
  hashes.push(
    await wallet.sendTransaction({
      type: 'eip2930',
      to: token,
      data: call('transfer', [RECIPIENT, 1n]),
      accessList: [{ address: token, storageKeys: [balanceSlot] }],
      gas: 200_000n,
      gasPrice: parseGwei('50'),
      nonce: 4,
    }),
  )
  hashes.push(
    await wallet.sendTransaction({
      type: 'legacy',
      to: RECIPIENT,
      value: 12_345n,
      gas: 21_000n,
      gasPrice: parseGwei('50'),
      nonce: 5,
    }),
  )
  hashes.push(
    await wallet.sendTransaction({ to: authority.address, value: parseEther('0.01'), gas: 21_000n, nonce: 6, ...fees }),
  )
  // EIP-7702: the authority delegates to the token code, and the same tx mints through it.
  hashes.push(
    await wallet.sendTransaction({
      to: authority.address,
      data: call('mint', [RECIPIENT, 5n]),
      authorizationList: [authorization],
      gas: 300_000n,
      nonce: 7,
      ...fees,
    }),
  )
  const receipts: TransactionReceipt[] = []
  for (const hash of hashes) receipts.push(await pub.waitForTransactionReceipt({ hash, timeout: 30_000 }))
  return receipts.map((r) => ({
    status: r.status,
    gasUsed: r.gasUsed,
    logs: r.logs.map((l) => ({ address: l.address.toLowerCase(), topics: l.topics, data: l.data })),
  }))
}

describe('differential: anvil vs rollup-lite', () => {
  let node: TestNode
  afterAll(() => node?.close())

  it('gives the same status, gasUsed and logs for every tx', async () => {
    // Fund the fresh sender on anvil (devnet role `user`), and in rollup-lite's genesis.
    const l1 = createWalletClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
    const l1Pub = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 20 })
    await l1Pub.waitForTransactionReceipt({
      hash: await l1.sendTransaction({ to: sender.address, value: parseEther('10') }),
    })
    node = await startTestNode({
      genesis: testGenesis({ [sender.address]: { balance: parseEther('10') } }),
      blockTime: 50,
    })

    const onAnvil = await runScript({ ...foundry, id: manifest.l1.chainId }, manifest.l1.rpcUrl)
    const onRollup = await runScript(node.chain, node.server.url)

    expect(onAnvil.map((o) => o.status)).toEqual([
      'success',
      'success',
      'success',
      'reverted',
      'success',
      'success',
      'success',
      'success',
    ])
    onAnvil.forEach((expected, i) => {
      expect(onRollup[i], `tx ${i}`).toEqual(expected)
    })
  })
})
