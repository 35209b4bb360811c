/**
 * Seed USD's L2 twin end to end on the devnet stack's rollup (rollup-lite SPEC §10.4): deposited through the
 * L1StandardBridge, the twin is created at its deterministic address and minted to the recipient by the 0x7E
 * deposit the rollup peer executes; it moves on L2 like any ERC-20; a withdrawal through the L2StandardBridge
 * burns it, is proven with the node's eth_getProof, finalized after the challenge window (waited out in real
 * time: this L1 is shared) and pays the L1 tokens out of this chain's escrow. Replays and a double finalize
 * are refused, and nobody but the portal's relay can make the L1 bridge pay.
 */

import { devAccount } from '@seed/devnet'
import {
  type Account,
  type Address,
  type BaseError,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  defineChain,
  encodeFunctionData,
  type Hex,
  http,
  numberToHex,
  parseEther,
  parseEventLogs,
  parseUnits,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { beforeAll, expect, inject, test } from 'vitest'
import {
  type BridgeCall,
  buildWithdrawalProof,
  depositErc20,
  depositEth,
  finalizeWithdrawal,
  L1_STANDARD_BRIDGE,
  L1_STANDARD_BRIDGE_L2_ALIAS,
  L1StandardBridgeAbi,
  L2_STANDARD_BRIDGE,
  L2StandardBridgeAbi,
  L2TwinERC20Abi,
  l2TwinAddress,
  proveWithdrawal,
  RollupInboxAbi,
  SEED_PORTAL,
  SeedPortalAbi,
  SeedUSDAbi,
} from '../src/index.ts'

const manifest = inject('manifest')
const inbox = manifest.contracts.rollupInbox
const usd = manifest.contracts.usd
const twin = l2TwinAddress(usd)
const l1Chain = { ...foundry, id: manifest.l1.chainId }
const l1 = createPublicClient({ chain: l1Chain, transport: http(manifest.l1.rpcUrl), pollingInterval: 100 })
const l2Chain = defineChain({
  id: manifest.rollup.chainId,
  name: 'Seed rollup',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [manifest.rollup.rpcUrl] } },
})
const l2 = createPublicClient({ chain: l2Chain, transport: http(), pollingInterval: 100 })
const l2Wallet = (account: Account) => createWalletClient({ chain: l2Chain, transport: http(), account })
const USD = (n: string) => parseUnits(n, 6)

/** Keys of this file only (no nonce shared with other files on the shared devnet). */
const alice = privateKeyToAccount(generatePrivateKey())
const bob = privateKeyToAccount(generatePrivateKey())

async function sendL1(account: Account, call: BridgeCall) {
  const hash = await createWalletClient({
    chain: l1Chain,
    transport: http(manifest.l1.rpcUrl),
    account,
  }).sendTransaction(call)
  const receipt = await l1.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`reverted: ${hash}`)
  return receipt
}

/** The custom error `call` from `from` reverts with on L1, decoded with `abi`. */
async function l1Revert(
  from: Address,
  call: { to: Address; data: Hex },
  abi: typeof SeedPortalAbi | typeof L1StandardBridgeAbi,
) {
  const error = await l1.request({ method: 'eth_call', params: [{ from, ...call }, 'latest'] } as never).then(
    () => undefined,
    (e: BaseError) => e,
  )
  if (!error) throw new Error('expected a revert')
  const data = (error.walk((e) => typeof (e as { data?: unknown }).data === 'string') as { data?: Hex } | null)?.data
  if (!data) throw error
  return decodeErrorResult({ abi, data }).errorName
}

const l1Usd = (who: Address) =>
  l1.readContract({ address: usd, abi: SeedUSDAbi, functionName: 'balanceOf', args: [who] })
const l2Twin = (who: Address) =>
  l2.readContract({ address: twin, abi: L2TwinERC20Abi, functionName: 'balanceOf', args: [who] })
const escrow = () =>
  l1.readContract({ address: L1_STANDARD_BRIDGE, abi: L1StandardBridgeAbi, functionName: 'escrow', args: [inbox, usd] })

/** Polls `read` until it returns `want` (the rollup peer includes a deposit once its L1 block is 2 deep). */
async function until<T>(what: string, read: () => Promise<T>, want: T, ms = 30_000) {
  const deadline = Date.now() + ms
  for (;;) {
    if ((await read().catch(() => undefined)) === want) return
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/**
 * The L2 receipt of the deposit (0x7e) calling `to` whose calldata names `who`, in a block after `after`
 * (waits for the peer to include it).
 */
async function l2DepositTo(to: Address, who: Address, after: bigint, ms = 30_000) {
  const deadline = Date.now() + ms
  let scanned = after
  for (;;) {
    const head = await l2.getBlockNumber()
    for (let n = scanned + 1n; n <= head; n++) {
      const block = (await l2.request({ method: 'eth_getBlockByNumber', params: [numberToHex(n), true] } as never)) as {
        transactions: { type: Hex; to: Address | null; input: Hex; hash: Hex }[]
      }
      const tx = block.transactions.find(
        (t) =>
          t.type === '0x7e' &&
          t.to?.toLowerCase() === to.toLowerCase() &&
          t.input.toLowerCase().includes(who.slice(2).toLowerCase()),
      )
      if (tx)
        return (await l2.request({ method: 'eth_getTransactionReceipt', params: [tx.hash] } as never)) as {
          status: Hex
          from: Address
          gasUsed: Hex
        }
    }
    scanned = head
    if (Date.now() > deadline) throw new Error(`no deposit to ${to} for ${who} on L2`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** The index of the first posted batch whose L2 blocks reach `l2Block` (waits for the peer to post it). */
async function batchCovering(l2Block: bigint): Promise<bigint> {
  for (;;) {
    const [count] = await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'head' })
    for (let i = count - 1n; i >= 0n; i--) {
      const b = await l1.readContract({ address: inbox, abi: RollupInboxAbi, functionName: 'batch', args: [i] })
      if (b.firstBlock <= l2Block && b.lastBlock >= l2Block) return i
    }
    await new Promise((r) => setTimeout(r, 500))
  }
}

beforeAll(async () => {
  for (const who of [alice, bob]) {
    await l1.request({ method: 'anvil_setBalance', params: [who.address, numberToHex(parseEther('10'))] } as never)
  }
  // Alice's Seed USD on L1: a transfer the devnet `user` authorises by signature (EIP-3009, a random nonce),
  // sent by Alice, so the `user` key sends nothing here.
  const user = devAccount('user')
  const authorization = {
    from: user.address,
    to: alice.address,
    value: USD('100'),
    validAfter: 0n,
    validBefore: BigInt(Math.floor(Date.now() / 1000) + 3600),
    nonce: numberToHex(BigInt(`0x${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex')}`), {
      size: 32,
    }),
  }
  const signature = await user.signTypedData({
    domain: { name: 'Seed USD', version: '2', chainId: manifest.l1.chainId, verifyingContract: usd },
    types: {
      TransferWithAuthorization: [
        { name: 'from', type: 'address' },
        { name: 'to', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'validAfter', type: 'uint256' },
        { name: 'validBefore', type: 'uint256' },
        { name: 'nonce', type: 'bytes32' },
      ],
    },
    primaryType: 'TransferWithAuthorization',
    message: authorization,
  })
  await sendL1(alice, {
    to: usd,
    data: encodeFunctionData({
      abi: SeedUSDAbi,
      functionName: 'transferWithAuthorization',
      args: [...(Object.values(authorization) as [Address, Address, bigint, bigint, bigint, Hex]), signature],
    }),
    value: 0n,
  })
  // ETH on L2 for their gas, deposited too.
  for (const who of [alice, bob]) {
    await sendL1(who, await depositEth(l1, { inbox, to: who.address, amount: parseEther('1') }))
  }
}, 60_000)

test('Seed USD deposited through the L1 bridge is minted as its L2 twin, moves on L2, and withdraws back to L1', async () => {
  const escrowBefore = await escrow()
  const l2Before = await l2.getBlockNumber()
  const deposited = USD('40')
  const calls = await depositErc20(l1, {
    inbox,
    token: usd,
    owner: alice.address,
    to: alice.address,
    amount: deposited,
  })
  let depositReceipt: Awaited<ReturnType<typeof sendL1>> | undefined
  for (const call of calls) depositReceipt = await sendL1(alice, call)
  expect(await l1Usd(alice.address)).toBe(USD('60'))
  expect(await escrow()).toBe(escrowBefore + deposited)
  const [logged] = parseEventLogs({ abi: SeedPortalAbi, eventName: 'TransactionDeposited', logs: depositReceipt!.logs })
  // The L2 call is sent by the L1 bridge: its aliased address is the only sender the L2 bridge mints for.
  expect(logged!.args).toMatchObject({ inbox, from: L1_STANDARD_BRIDGE_L2_ALIAS, to: L2_STANDARD_BRIDGE })

  // Confirmed on L1 (depth 2): the rollup peer executes the deposit; the twin exists at its CREATE2 address.
  await l1.request({ method: 'anvil_mine', params: [numberToHex(2)] } as never)
  const l2Deposit = await l2DepositTo(L2_STANDARD_BRIDGE, alice.address, l2Before)
  expect(l2Deposit).toMatchObject({ status: '0x1', from: L1_STANDARD_BRIDGE_L2_ALIAS.toLowerCase() })
  expect(await l2Twin(alice.address)).toBe(deposited)
  expect(
    await l2.readContract({
      address: L2_STANDARD_BRIDGE,
      abi: L2StandardBridgeAbi,
      functionName: 'l1TokenOf',
      args: [twin],
    }),
  ).toBe(usd)
  expect(await l2.readContract({ address: twin, abi: L2TwinERC20Abi, functionName: 'L1_TOKEN' })).toBe(usd)
  await until('Bob’s L2 gas', () => l2.getBalance({ address: bob.address }), parseEther('1'))

  // An ordinary ERC-20 transfer on L2.
  const moved = await l2.waitForTransactionReceipt({
    hash: await l2Wallet(alice).writeContract({
      address: twin,
      abi: L2TwinERC20Abi,
      functionName: 'transfer',
      args: [bob.address, USD('15')],
    }),
  })
  expect(moved.status).toBe('success')
  expect(await l2Twin(bob.address)).toBe(USD('15'))

  // Bob withdraws 10 to his L1 address: the twin is burnt on L2 at once.
  const supplyBefore = await l2.readContract({ address: twin, abi: L2TwinERC20Abi, functionName: 'totalSupply' })
  const withdrawal = await l2Wallet(bob).writeContract({
    address: L2_STANDARD_BRIDGE,
    abi: L2StandardBridgeAbi,
    functionName: 'withdraw',
    args: [twin, USD('10'), 200_000],
  })
  const withdrawn = await l2.waitForTransactionReceipt({ hash: withdrawal })
  expect(withdrawn.status).toBe('success')
  expect(await l2Twin(bob.address)).toBe(USD('5'))
  expect(await l2.readContract({ address: twin, abi: L2TwinERC20Abi, functionName: 'totalSupply' })).toBe(
    supplyBefore - USD('10'),
  )

  // Proven against the batch that posts the withdrawal's block, finalized after the window.
  const index = await batchCovering(withdrawn.blockNumber)
  const proof = await buildWithdrawalProof(l2, { l1, inbox, batchIndex: index, tx: withdrawal })
  expect(proof.withdrawal).toMatchObject({ sender: L2_STANDARD_BRIDGE, target: L1_STANDARD_BRIDGE })
  // Nobody but the portal relaying this chain's withdrawal makes the L1 bridge pay.
  const direct = {
    to: L1_STANDARD_BRIDGE,
    data: encodeFunctionData({
      abi: L1StandardBridgeAbi,
      functionName: 'finalizeWithdrawal',
      args: [inbox, usd, bob.address, bob.address, USD('10')],
    }),
  }
  expect(await l1Revert(bob.address, direct, L1StandardBridgeAbi)).toBe('NotFromL2Bridge')

  await sendL1(bob, await proveWithdrawal(l1, proof))
  const provenAt = (await l1.getBlock()).timestamp
  await expect(finalizeWithdrawal(l1, proof)).rejects.toMatchObject({ reason: 'challenge-window-open' })
  await waitOutChallengeWindow(provenAt)
  await sendL1(bob, await finalizeWithdrawal(l1, proof))
  expect(await l1Usd(bob.address)).toBe(USD('10'))
  expect(await escrow()).toBe(escrowBefore + deposited - USD('10'))

  // Never twice: a second finalize, a new proof of the same withdrawal.
  const rawFinalize = {
    to: SEED_PORTAL,
    data: encodeFunctionData({
      abi: SeedPortalAbi,
      functionName: 'finalizeWithdrawal',
      args: [inbox, proof.withdrawal],
    }),
  }
  expect(await l1Revert(bob.address, rawFinalize, SeedPortalAbi)).toBe('AlreadyFinalized')
  await expect(finalizeWithdrawal(l1, proof)).rejects.toMatchObject({ reason: 'already-finalized' })
  await expect(proveWithdrawal(l1, proof)).rejects.toMatchObject({ reason: 'already-finalized' })
  expect(await l1Usd(bob.address)).toBe(USD('10'))
}, 240_000)

/**
 * Waits out the devnet's challenge window in real time from `provenAt`, mining a block each second (no time
 * travel: the L1 is shared, and a clock pushed ahead expires what other files sign with wall-clock windows).
 */
async function waitOutChallengeWindow(provenAt: bigint) {
  const { challengeWindow } = await l1.readContract({
    address: SEED_PORTAL,
    abi: SeedPortalAbi,
    functionName: 'configOf',
    args: [inbox],
  })
  for (;;) {
    await l1.request({ method: 'evm_mine' as never, params: [] as never })
    if ((await l1.getBlock()).timestamp > provenAt + challengeWindow) return
    await new Promise((r) => setTimeout(r, 1_000))
  }
}
