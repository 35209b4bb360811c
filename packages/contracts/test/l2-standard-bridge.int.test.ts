/**
 * The L2StandardBridge predeploy (rollup-lite SPEC §10.4) as genesis puts it, on an anvil of its own (code and
 * storage set as the genesis alloc does; the deposit's L2 sender impersonated, as the 0x7E deposit makes it):
 * only the L1StandardBridge's alias mints, the twin lands at the CREATE2 address of the L1 token, only the bridge
 * mints and burns it, and a withdrawal burns the twin and sends exactly the L1 bridge's finalizeWithdrawal call.
 */
import { startAnvil } from '@seed/devnet'
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeErrorResult,
  encodeFunctionData,
  getAddress,
  http,
  parseEther,
  parseEventLogs,
} from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  L1_STANDARD_BRIDGE,
  L1_STANDARD_BRIDGE_L2_ALIAS,
  L1StandardBridgeAbi,
  L2_STANDARD_BRIDGE,
  L2StandardBridgeAbi,
  L2ToL1MessagePasserAbi,
  L2TwinERC20Abi,
  l2BridgePredeploys,
  l2TwinAddress,
} from '../src/index.ts'

const inbox: Address = '0x00000000000000000000000000000000000000b0'
const l1Token: Address = getAddress('0x00000000000000000000000000000000000070c0')
const alice: Address = getAddress('0x000000000000000000000000000000000000a11c')
const chain = { ...foundry, id: 31_417 }
const bob: Address = getAddress('0x0000000000000000000000000000000000000b0b')

let anvil: Awaited<ReturnType<typeof startAnvil>>
let l2: ReturnType<typeof createPublicClient>
let anvilClient: ReturnType<typeof createTestClient>

beforeAll(async () => {
  anvil = await startAnvil({ chainId: chain.id })
  const transport = http(anvil.rpcUrl)
  l2 = createPublicClient({ chain, transport, pollingInterval: 50 })
  anvilClient = createTestClient({ chain, transport, mode: 'anvil' })
  for (const [address, a] of Object.entries(l2BridgePredeploys({ inbox })) as [
    Address,
    { code: `0x${string}`; storage: Record<`0x${string}`, `0x${string}`> },
  ][]) {
    await anvilClient.setCode({ address, bytecode: a.code })
    for (const [slot, value] of Object.entries(a.storage))
      await anvilClient.setStorageAt({ address, index: slot as `0x${string}`, value })
  }
  for (const who of [L1_STANDARD_BRIDGE_L2_ALIAS, alice]) {
    await anvilClient.impersonateAccount({ address: who })
    await anvilClient.setBalance({ address: who, value: parseEther('1') })
  }
})
afterAll(async () => {
  await anvil?.service.stop()
})

/** Sends `data` to the L2 bridge as `from`; returns the receipt, or the custom error it reverts with. */
async function call(from: Address, functionName: string, args: readonly unknown[]) {
  const data = encodeFunctionData({ abi: L2StandardBridgeAbi, functionName, args } as never)
  const reverted = await l2.call({ account: from, to: L2_STANDARD_BRIDGE, data }).then(
    () => undefined,
    (e: { walk: (f: (e: unknown) => boolean) => { data?: `0x${string}` } | null }) =>
      decodeErrorResult({
        abi: [...L2StandardBridgeAbi, ...L2TwinERC20Abi],
        data: e.walk((x) => typeof (x as { data?: unknown }).data === 'string')!.data!,
      }).errorName,
  )
  if (reverted) return { reverted }
  const wallet = createWalletClient({ chain, transport: http(anvil.rpcUrl), account: from })
  const hash = await wallet.sendTransaction({ to: L2_STANDARD_BRIDGE, data })
  return { receipt: await l2.waitForTransactionReceipt({ hash }) }
}

test('the genesis storage names the L1 bridge and the inbox', async () => {
  const read = (functionName: 'l1StandardBridge' | 'inbox') =>
    l2.readContract({ address: L2_STANDARD_BRIDGE, abi: L2StandardBridgeAbi, functionName })
  expect(await read('l1StandardBridge')).toBe(L1_STANDARD_BRIDGE)
  expect(getAddress(await read('inbox'))).toBe(getAddress(inbox))
})

test('only the L1 bridge alias mints; the twin is created at the CREATE2 address of the L1 token', async () => {
  expect((await call(alice, 'finalizeDeposit', [l1Token, alice, alice, 10n])).reverted).toBe('NotFromL1Bridge')
  const twin = l2TwinAddress(l1Token)
  expect(await l2.getCode({ address: twin })).toBeUndefined()
  const { receipt } = await call(L1_STANDARD_BRIDGE_L2_ALIAS, 'finalizeDeposit', [l1Token, bob, alice, 100n])
  expect(receipt?.status).toBe('success')
  expect(await l2.readContract({ address: twin, abi: L2TwinERC20Abi, functionName: 'balanceOf', args: [alice] })).toBe(
    100n,
  )
  expect(await l2.readContract({ address: twin, abi: L2TwinERC20Abi, functionName: 'L1_TOKEN' })).toBe(l1Token)
  expect(
    await l2.readContract({
      address: L2_STANDARD_BRIDGE,
      abi: L2StandardBridgeAbi,
      functionName: 'l1TokenOf',
      args: [twin],
    }),
  ).toBe(l1Token)
  // A second deposit mints into the same twin.
  await call(L1_STANDARD_BRIDGE_L2_ALIAS, 'finalizeDeposit', [l1Token, bob, alice, 50n])
  expect(await l2.readContract({ address: twin, abi: L2TwinERC20Abi, functionName: 'balanceOf', args: [alice] })).toBe(
    150n,
  )
  // Nobody but the bridge mints or burns the twin.
  const direct = await l2
    .simulateContract({ account: alice, address: twin, abi: L2TwinERC20Abi, functionName: 'mint', args: [alice, 1n] })
    .catch((e) => e)
  expect(String(direct)).toMatch(/NotBridge/)
})

test('a withdrawal burns the twin and sends the L1 bridge exactly finalizeWithdrawal(inbox, l1Token, from, to, amount)', async () => {
  const twin = l2TwinAddress(l1Token)
  expect((await call(alice, 'withdraw', [l1Token, 1n, 200_000])).reverted).toBe('NotATwin')
  expect((await call(alice, 'withdraw', [twin, 1_000n, 200_000])).reverted).toBe('ERC20InsufficientBalance')
  const { receipt } = await call(alice, 'withdrawTo', [twin, bob, 40n, 200_000])
  expect(receipt?.status).toBe('success')
  expect(await l2.readContract({ address: twin, abi: L2TwinERC20Abi, functionName: 'balanceOf', args: [alice] })).toBe(
    110n,
  )
  const [passed] = parseEventLogs({ abi: L2ToL1MessagePasserAbi, eventName: 'MessagePassed', logs: receipt!.logs })
  expect(passed?.args).toMatchObject({
    sender: L2_STANDARD_BRIDGE,
    target: L1_STANDARD_BRIDGE,
    value: 0n,
    gasLimit: 200_000n,
    data: encodeFunctionData({
      abi: L1StandardBridgeAbi,
      functionName: 'finalizeWithdrawal',
      args: [getAddress(inbox), l1Token, alice, bob, 40n],
    }),
  })
})
