import { TestTokenAbi, TestTokenBytecode } from '@seed/contracts'
import { createPublicClient, createWalletClient, http, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startTestNode, TEST_KEYS, type TestNode } from '../testing.ts'

const account = privateKeyToAccount(TEST_KEYS[0] as `0x${string}`)
const recipient = privateKeyToAccount(TEST_KEYS[1] as `0x${string}`).address

describe('viem against rollup-lite over HTTP', () => {
  let t: TestNode
  beforeAll(async () => {
    t = await startTestNode({ blockTime: 50 })
  })
  afterAll(() => t.close())

  it('deploys an ERC-20, mints, transfers and reads the Transfer events with getLogs', async () => {
    const pub = createPublicClient({ chain: t.chain, transport: http(), pollingInterval: 20 })
    const wallet = createWalletClient({ chain: t.chain, transport: http(), account })
    const deployHash = await wallet.deployContract({
      abi: TestTokenAbi,
      bytecode: TestTokenBytecode,
      args: ['Seed', 'SEED'],
    })
    const deployed = await pub.waitForTransactionReceipt({ hash: deployHash })
    expect(deployed.status).toBe('success')
    const token = deployed.contractAddress as `0x${string}`
    expect(await pub.getCode({ address: token })).not.toBe('0x')

    const mint = await wallet.writeContract({
      address: token,
      abi: TestTokenAbi,
      functionName: 'mint',
      args: [account.address, 1_000n],
    })
    await pub.waitForTransactionReceipt({ hash: mint })
    const transfer = await wallet.writeContract({
      address: token,
      abi: TestTokenAbi,
      functionName: 'transfer',
      args: [recipient, 250n],
    })
    const receipt = await pub.waitForTransactionReceipt({ hash: transfer })
    expect(receipt.status).toBe('success')
    expect(receipt.logs).toHaveLength(1)

    expect(
      await pub.readContract({ address: token, abi: TestTokenAbi, functionName: 'balanceOf', args: [recipient] }),
    ).toBe(250n)
    await t.node.sealNow()
    const events = await pub.getContractEvents({
      address: token,
      abi: TestTokenAbi,
      eventName: 'Transfer',
      fromBlock: 0n,
    })
    expect(events.map((e) => e.args)).toEqual([
      { from: '0x0000000000000000000000000000000000000000', to: account.address, value: 1_000n },
      { from: account.address, to: recipient, value: 250n },
    ])
    const block = await pub.getBlock({ blockNumber: events[1]?.blockNumber as bigint, includeTransactions: true })
    expect(block.transactions.map((tx) => tx.hash)).toContain(transfer)
    const tx = await pub.getTransaction({ hash: transfer })
    expect(tx.from.toLowerCase()).toBe(account.address.toLowerCase())
  })

  it('estimates gas, reverts with a reason, and honours state overrides in eth_call', async () => {
    const pub = createPublicClient({ chain: t.chain, transport: http() })
    const gas = await pub.estimateGas({ account, to: recipient, value: parseEther('1') })
    expect(gas).toBe(21_000n)
    const wallet = createWalletClient({ chain: t.chain, transport: http(), account })
    const hash = await wallet.deployContract({ abi: TestTokenAbi, bytecode: TestTokenBytecode, args: ['A', 'A'] })
    const { contractAddress } = await pub.waitForTransactionReceipt({ hash, pollingInterval: 20 })
    await expect(
      pub.simulateContract({
        account,
        address: contractAddress as `0x${string}`,
        abi: TestTokenAbi,
        functionName: 'transfer',
        args: [recipient, 1n],
      }),
    ).rejects.toThrow(/ERC20InsufficientBalance/)
    const poor = '0x00000000000000000000000000000000000000aa'
    const balance = await pub.request({
      method: 'eth_call',
      params: [
        {
          to: contractAddress as `0x${string}`,
          data: '0x70a08231000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266',
        },
        'latest',
        { [poor]: { balance: '0x1' } },
      ],
    } as never)
    expect(BigInt(balance as string)).toBe(0n)
  })

  it('pushes newHeads and logs over eth_subscribe (WebSocket)', async () => {
    const socket = new WebSocket(t.server.wsUrl)
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    const messages: any[] = []
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())))
    const call = async (id: number, method: string, params: unknown[]) => {
      socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
      await expect.poll(() => messages.find((m) => m.id === id), { timeout: 5_000 }).toBeDefined()
      return messages.find((m) => m.id === id).result as string
    }
    const heads = await call(1, 'eth_subscribe', ['newHeads'])
    const pub = createPublicClient({ chain: t.chain, transport: http(), pollingInterval: 20 })
    const wallet = createWalletClient({ chain: t.chain, transport: http(), account })
    const deployed = await pub.waitForTransactionReceipt({
      hash: await wallet.deployContract({ abi: TestTokenAbi, bytecode: TestTokenBytecode, args: ['W', 'W'] }),
    })
    const token = deployed.contractAddress as `0x${string}`
    const logs = await call(2, 'eth_subscribe', ['logs', { address: token }])
    await wallet.writeContract({ address: token, abi: TestTokenAbi, functionName: 'mint', args: [recipient, 5n] })
    const notes = () => messages.filter((m) => m.method === 'eth_subscription')
    await expect.poll(() => notes().filter((m) => m.params.subscription === logs).length, { timeout: 5_000 }).toBe(1)
    const head = notes().find((m) => m.params.subscription === heads)
    expect(head.params.result.number).toMatch(/^0x/)
    expect(head.params.result.stateRoot).toMatch(/^0x[0-9a-f]{64}$/)
    const log = notes().find((m) => m.params.subscription === logs).params.result
    expect(log.address).toBe(token.toLowerCase())
    expect(BigInt(log.data)).toBe(5n)
    expect(await call(3, 'eth_unsubscribe', [logs])).toBe(true)
    socket.close()
  })
})
