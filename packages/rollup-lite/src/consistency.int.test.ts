/**
 * One consistent view: the same script on anvil (the devnet L1) and on rollup-lite over HTTP with
 * viem. Right after `waitForTransactionReceipt` every other view must already agree with the
 * receipt, as on anvil: the block by hash holds the tx, `getLogs({ blockHash })` and a log filter
 * return the receipt's logs, `getProof` at the receipt's block verifies against that block's
 * stateRoot, and at `latest` eth_call, getStorageAt and getProof give the same balance.
 */
import { verifyMerkleProof } from '@ethereumjs/mpt'
import { TestTokenAbi, TestTokenBytecode } from '@seed/contracts'
import { devAccount } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  encodeFunctionData,
  fromRlp,
  getContractAddress,
  type Hex,
  hexToBigInt,
  hexToBytes,
  http,
  keccak256,
  type Log,
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
const RECIPIENT = '0x0000000000000000000000000000000000c0c0c0'

/** The ERC-20's balance slot of `holder` (mapping at slot 0). */
const balanceSlot = (holder: Address) =>
  keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [holder, 0n]))

/** Verifies an EIP-1186 proof of one storage slot against `stateRoot`; returns the slot's value. */
async function provenSlot(
  stateRoot: Hex,
  address: Address,
  proof: { accountProof: Hex[]; storageHash: Hex; storageProof: { key: Hex; proof: Hex[] }[] },
): Promise<bigint> {
  const account = await verifyMerkleProof(
    hexToBytes(address),
    proof.accountProof.map((n) => hexToBytes(n)),
    { root: hexToBytes(stateRoot), useKeyHashing: true },
  )
  if (!account) throw new Error('account proven absent')
  const [, , storageRoot] = fromRlp(account, 'hex') as Hex[]
  expect(storageRoot).toBe(proof.storageHash)
  const slot = proof.storageProof[0] as { key: Hex; proof: Hex[] }
  const value = await verifyMerkleProof(
    hexToBytes(slot.key),
    slot.proof.map((n) => hexToBytes(n)),
    { root: hexToBytes(storageRoot as Hex), useKeyHashing: true },
  )
  return value ? hexToBigInt(fromRlp(value, 'hex') as Hex) : 0n
}

const logView = (l: Log | TransactionReceipt['logs'][number]) => ({
  address: l.address.toLowerCase(),
  topics: l.topics,
  data: l.data,
  blockHash: l.blockHash,
  blockNumber: l.blockNumber,
  logIndex: l.logIndex,
  transactionHash: l.transactionHash,
  transactionIndex: l.transactionIndex,
})

async function runScript(chain: Chain, url: string): Promise<number> {
  const pub = createPublicClient({ chain, transport: http(url), pollingInterval: 20, cacheTime: 0 })
  const wallet = createWalletClient({ chain, transport: http(url), account: sender })
  const fees = { maxFeePerGas: parseGwei('50'), maxPriorityFeePerGas: parseGwei('1') }
  const token = getContractAddress({ from: sender.address, nonce: 0n })
  const slot = balanceSlot(RECIPIENT)
  const filter = await pub.createEventFilter({ address: token })
  let checked = 0

  /** Every view, queried right after the receipt, agrees with it. */
  const expectViewsAgree = async (hash: Hex) => {
    const receipt = await pub.waitForTransactionReceipt({ hash, timeout: 30_000, pollingInterval: 5 })
    const at = `${chain.name}: tx ${hash} in block ${receipt.blockNumber} ${receipt.blockHash}`
    const block = await pub.getBlock({ blockHash: receipt.blockHash }).catch((error) => {
      throw new Error(`${at}: ${error.shortMessage}`)
    })
    expect(block.number, at).toBe(receipt.blockNumber)
    expect(block.transactions, at).toContain(hash)
    const logs = await pub.getLogs({ blockHash: receipt.blockHash })
    expect(logs.filter((l) => l.transactionHash === hash).map(logView), at).toEqual(receipt.logs.map(logView))
    const changes = (await pub.getFilterChanges({ filter })) as Log[]
    const mine = receipt.logs.filter((l) => l.address.toLowerCase() === token.toLowerCase())
    expect(changes.filter((l) => l.transactionHash === hash).map(logView), at).toEqual(mine.map(logView))
    if (receipt.contractAddress === null) {
      const proof = await pub.getProof({ address: token, storageKeys: [slot], blockNumber: receipt.blockNumber })
      const proven = await provenSlot(block.stateRoot, token, proof)
      expect(proven, at).toBe(proof.storageProof[0]?.value)
      // At latest (no other tx touches the token meanwhile): call = storage = proof.
      const [called, stored, latest, head] = await Promise.all([
        pub.readContract({ address: token, abi: TestTokenAbi, functionName: 'balanceOf', args: [RECIPIENT] }),
        pub.getStorageAt({ address: token, slot }),
        pub.getProof({ address: token, storageKeys: [slot] }),
        pub.getBlock(),
      ])
      expect(head.number >= receipt.blockNumber, at).toBe(true)
      expect(BigInt(stored ?? '0x0'), at).toBe(called)
      expect(latest.storageProof[0]?.value, at).toBe(called)
      expect(called, at).toBe(proven)
    }
    checked++
  }

  const send = (data: Hex, nonce: number) => wallet.sendTransaction({ to: token, data, gas: 200_000n, nonce, ...fees })
  const call = (functionName: 'mint' | 'transfer', args: readonly [Hex, bigint]) =>
    encodeFunctionData({ abi: TestTokenAbi, functionName, args } as never)

  await expectViewsAgree(
    await wallet.deployContract({
      abi: TestTokenAbi,
      bytecode: TestTokenBytecode,
      args: ['Same', 'SAME'],
      gas: 3_000_000n,
      nonce: 0,
      ...fees,
    }),
  )
  await expectViewsAgree(await send(call('mint', [sender.address, 1_000n]), 1))
  for (let i = 0; i < 4; i++) await expectViewsAgree(await send(call('transfer', [RECIPIENT, 10n + BigInt(i)]), 2 + i))
  // A revert: no logs anywhere, the balance unchanged.
  await expectViewsAgree(await send(call('transfer', [RECIPIENT, 10_000n]), 6))
  return checked
}

describe('one consistent view: anvil and rollup-lite', () => {
  let node: TestNode
  afterAll(() => node?.close())

  it('agrees with the receipt at once: block, logs, filter, proof, and call = storage = proof at latest', async () => {
    const l1 = createWalletClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), account: devAccount('user') })
    const l1Pub = createPublicClient({ chain: foundry, transport: http(manifest.l1.rpcUrl), pollingInterval: 20 })
    await l1Pub.waitForTransactionReceipt({
      hash: await l1.sendTransaction({ to: sender.address, value: parseEther('10') }),
    })
    // The default block time: a receipt must not wait for it, nor be answered before its block.
    node = await startTestNode({
      genesis: testGenesis({ [sender.address]: { balance: parseEther('10') } }),
      blockTime: 1000,
    })

    expect(await runScript({ ...foundry, id: manifest.l1.chainId }, manifest.l1.rpcUrl)).toBe(7)
    expect(await runScript(node.chain, node.server.url)).toBe(7)
  })
})
