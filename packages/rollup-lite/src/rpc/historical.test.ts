/**
 * Historical state: every state method at a past block number or hash answers with that block's
 * state (viem readContract({ blockNumber }) included); unknown and future blocks are an error.
 * BLOCKHASH sees the real hashes of recent blocks, and each block stores its parent hash in the
 * EIP-2935 history contract.
 */
import { TestTokenAbi, TestTokenBytecode } from '@seed/contracts'
import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  numberToHex,
  type PublicClient,
  pad,
  toHex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HISTORY_STORAGE_ADDRESS, HISTORY_STORAGE_CODE } from '../exec/system-contracts.ts'
import { PARENT_HASH_INITCODE, startTestNode, TEST_KEYS, type TestNode } from '../testing.ts'

/** Runtime: returns blockhash(calldata[0:32]). */
const BLOCKHASH_OF_RUNTIME = '0x5f35405f5260205ff3'
const BLOCKHASH_OF = '0x00000000000000000000000000000000000b10c0'

let t: TestNode
let pub: PublicClient
const account = privateKeyToAccount(TEST_KEYS[0] as Hex)
const recipient = '0x0000000000000000000000000000000000000bee'

beforeAll(async () => {
  t = await startTestNode({
    blockTime: 0,
    genesis: {
      chainId: 31338,
      timestamp: 1_700_000_000,
      alloc: { [account.address]: { balance: 10n ** 24n }, [BLOCKHASH_OF]: { code: BLOCKHASH_OF_RUNTIME } },
    },
  })
  pub = createPublicClient({ chain: t.chain, transport: http(t.server.url) }) as PublicClient
})
afterAll(() => t?.close())

describe('historical state', () => {
  it('reads balance, nonce, storage, code, calls, estimates and proofs at past blocks', async () => {
    const wallet = createWalletClient({ chain: t.chain, transport: http(t.server.url), account })
    const deploy = await wallet.deployContract({ abi: TestTokenAbi, bytecode: TestTokenBytecode, args: ['H', 'H'] })
    const token = (await pub.waitForTransactionReceipt({ hash: deploy })).contractAddress as Hex
    // Each answered tx is in a published block already: the head is the tx's block.
    const head = async () => BigInt((await t.node.request('eth_blockNumber')) as Hex)
    const deployed = await head()
    await wallet.writeContract({
      address: token,
      abi: TestTokenAbi,
      functionName: 'mint',
      args: [account.address, 1_000n],
    })
    const before = await head()
    const beforeHash = (await t.node.block(before))?.hash as Hex

    await wallet.writeContract({ address: token, abi: TestTokenAbi, functionName: 'transfer', args: [recipient, 300n] })
    await wallet.sendTransaction({ to: recipient, value: 5n })
    const after = await head()

    const balanceOf = (blockNumber?: bigint) =>
      pub.readContract({ address: token, abi: TestTokenAbi, functionName: 'balanceOf', args: [recipient], blockNumber })
    expect(await balanceOf(before)).toBe(0n)
    expect(await balanceOf(after)).toBe(300n)
    expect(await balanceOf()).toBe(300n)
    const byHash = await t.node.request('eth_call', [
      { to: token, data: encodeFunctionData({ abi: TestTokenAbi, functionName: 'balanceOf', args: [recipient] }) },
      { blockHash: beforeHash },
    ])
    expect(BigInt(byHash as Hex)).toBe(0n)

    expect(await pub.getBalance({ address: recipient, blockNumber: before })).toBe(0n)
    expect(await pub.getBalance({ address: recipient, blockNumber: after })).toBe(5n)
    const nonceBefore = await pub.getTransactionCount({ address: account.address, blockNumber: before })
    expect(await pub.getTransactionCount({ address: account.address, blockNumber: after })).toBe(nonceBefore + 2)
    expect(await pub.getCode({ address: token, blockNumber: deployed - 1n })).toBeUndefined()
    expect((await pub.getCode({ address: token, blockNumber: before }))?.length).toBeGreaterThan(100)
    const supplySlot = toHex(2n, { size: 32 }) // OpenZeppelin ERC20: _balances 0, _allowances 1, _totalSupply 2
    expect(await pub.getStorageAt({ address: token, slot: supplySlot, blockNumber: deployed })).toBe(pad('0x0'))
    expect(BigInt((await pub.getStorageAt({ address: token, slot: supplySlot, blockNumber: before })) as Hex)).toBe(
      1_000n,
    )
    const proof = await pub.getProof({ address: recipient, storageKeys: [], blockNumber: before })
    expect(proof.balance).toBe(0n)

    // A transfer of 301 tokens fits the recipient's balance only after the transfer.
    const transfer301 = {
      account: recipient,
      to: token,
      data: encodeFunctionData({ abi: TestTokenAbi, functionName: 'transfer', args: [account.address, 301n] }),
    } as const
    await expect(pub.estimateGas({ ...transfer301, blockNumber: after })).rejects.toThrow(/revert/i)
    const transfer300 = {
      ...transfer301,
      data: encodeFunctionData({ abi: TestTokenAbi, functionName: 'transfer', args: [account.address, 300n] }),
    }
    await expect(pub.estimateGas({ ...transfer300, blockNumber: before })).rejects.toThrow(/revert/i)
    expect(await pub.estimateGas({ ...transfer300, blockNumber: after })).toBeGreaterThan(21_000n)
  })

  it('answers header not found for an unknown or future block', async () => {
    const head = await pub.getBlockNumber()
    const future = numberToHex(head + 1_000n)
    const unknownHash = `0x${'ab'.repeat(32)}`
    for (const [method, params] of [
      ['eth_call', [{ to: recipient }, future]],
      ['eth_estimateGas', [{ to: recipient }, future]],
      ['eth_getBalance', [recipient, future]],
      ['eth_getCode', [recipient, { blockHash: unknownHash }]],
      ['eth_getStorageAt', [recipient, '0x0', future]],
      ['eth_getTransactionCount', [recipient, unknownHash]],
      ['eth_getProof', [recipient, [], future]],
      ['eth_call', [{ to: recipient }, { blockHash: unknownHash }]],
    ] as const) {
      await expect(t.node.request(method, [...params]), method).rejects.toMatchObject({
        code: -32001,
        message: 'header not found',
      })
    }
  })
})

describe('BLOCKHASH and EIP-2935', () => {
  it('BLOCKHASH returns the real hashes of recent blocks, zero outside the window', async () => {
    const head = (await t.node.sealNow(true))?.header.number as bigint
    const blockhashOf = async (n: bigint, blockNumber?: bigint) =>
      (await pub.call({ to: BLOCKHASH_OF, data: pad(numberToHex(n)), blockNumber })).data
    // A latest call runs in the head block (as geth and anvil): its parent is the newest hash.
    expect(await blockhashOf(head)).toBe(pad('0x0'))
    expect(await blockhashOf(head - 1n)).toBe((await t.node.block(head - 1n))?.hash)
    // At a past block the window is that block's.
    expect(await blockhashOf(head - 2n, head - 1n)).toBe((await t.node.block(head - 2n))?.hash)
    expect(await blockhashOf(head, head)).toBe(pad('0x0')) // not before itself
    expect(await blockhashOf(head + 1n)).toBe(pad('0x0'))
  })

  it('a transaction sees blockhash(number - 1) = its block parent hash', async () => {
    const wallet = createWalletClient({ chain: t.chain, transport: http(t.server.url), account })
    const deploy = await wallet.sendTransaction({ data: PARENT_HASH_INITCODE })
    const contract = (await pub.waitForTransactionReceipt({ hash: deploy })).contractAddress as Hex
    const hash = await wallet.sendTransaction({ to: contract })
    const receipt = await pub.getTransactionReceipt({ hash })
    const sealed = await pub.getBlock({ blockHash: receipt.blockHash })
    expect(receipt.logs[0]?.data).toBe(sealed.parentHash)
    expect(receipt.logs[0]?.data).not.toBe(pad('0x0'))
  })

  it('the history contract is predeployed and holds each block parent hash', async () => {
    expect(await pub.getCode({ address: HISTORY_STORAGE_ADDRESS })).toBe(HISTORY_STORAGE_CODE)
    const head = (await t.node.sealNow(true))?.header as { number: bigint; parentHash: Hex }
    const slot = numberToHex((head.number - 1n) % 8191n, { size: 32 })
    expect(await pub.getStorageAt({ address: HISTORY_STORAGE_ADDRESS, slot, blockNumber: head.number })).toBe(
      head.parentHash,
    )
    // Its get path (any caller but the system address): a call with the block number as input.
    const got = await pub.call({ to: HISTORY_STORAGE_ADDRESS, data: numberToHex(head.number - 1n, { size: 32 }) })
    expect(got.data).toBe(head.parentHash)
  })
})
