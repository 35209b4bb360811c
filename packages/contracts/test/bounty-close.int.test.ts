/**
 * Closing a bounty against the devnet escrow (decision 0802), the sends the wallet makes from its Agents screen,
 * console and MCP: `requestClose`, then after `CLOSE_DELAY` (time travelled here) `withdraw` of the joined slots,
 * which refunds each slot's unclaimed allotment and the unjoined slots at once; a voucher is worthless after it.
 */
import { devAccount } from '@seed/devnet'
import type {} from '@seed/testkit/global-setup'
import {
  type Address,
  type BaseError,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  type Hex,
  http,
  parseEther,
} from 'viem'
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { describe, expect, inject, test } from 'vitest'
import {
  BOUNTY_CLOSE_DELAY,
  claimEpochsCall,
  epochVoucherTypedData,
  IdentityRegistryAbi,
  joinBountyCall,
  postBountyCall,
  readBounty,
  readBountySlot,
  registerAgentCall,
  requestCloseCall,
  SeedBountyEscrowAbi,
  SeedUSDAbi,
  seedBountyEscrow,
  seedErc8004Registries,
  withdrawBountyCall,
} from '../src/index.ts'

const manifest = inject('manifest')
const transport = http(manifest.l1.rpcUrl)
const l1 = createPublicClient({ chain: foundry, transport, pollingInterval: 50 })
const escrow = seedBountyEscrow()
const usd = manifest.contracts.usd
const { identity } = seedErc8004Registries()

async function send(account: PrivateKeyAccount, call: { to: Address; data: Hex }) {
  const wallet = createWalletClient({ chain: foundry, transport, account })
  const receipt = await l1.waitForTransactionReceipt({ hash: await wallet.sendTransaction(call) })
  expect(receipt.status).toBe('success')
  return receipt
}

async function fundedAccount(usdAmount = 0n) {
  const account = privateKeyToAccount(generatePrivateKey())
  const funder = createWalletClient({ chain: foundry, transport, account: devAccount('user') })
  await l1.waitForTransactionReceipt({
    hash: await funder.sendTransaction({ to: account.address, value: parseEther('1') }),
  })
  if (usdAmount) {
    const deployer = createWalletClient({ chain: foundry, transport, account: devAccount('deployer') })
    await l1.waitForTransactionReceipt({
      hash: await deployer.writeContract({
        address: usd,
        abi: SeedUSDAbi,
        functionName: 'mint',
        args: [account.address, usdAmount],
      }),
    })
  }
  return account
}

const balanceOf = (who: Address) =>
  l1.readContract({ address: usd, abi: SeedUSDAbi, functionName: 'balanceOf', args: [who] })
/** The escrow's custom error a call reverts with (by name), or 'no revert'. */
async function rejects(account: Address, call: { to: Address; data: Hex }) {
  const error = await l1.call({ account, ...call }).then(
    () => undefined,
    (e: BaseError) => e,
  )
  const raw = error?.walk((e) => typeof (e as { data?: unknown }).data === 'string') as { data?: Hex } | null
  return raw?.data ? decodeErrorResult({ abi: SeedBountyEscrowAbi, data: raw.data }).errorName : 'no revert'
}

describe('closing a bounty', () => {
  test('requestClose, then withdraw after CLOSE_DELAY: the unclaimed allotment and the unjoined slot come back', async () => {
    expect(await l1.readContract({ address: escrow, abi: SeedBountyEscrowAbi, functionName: 'CLOSE_DELAY' })).toBe(
      BOUNTY_CLOSE_DELAY,
    )
    const poster = await fundedAccount(3_000n)
    const approve = await createWalletClient({ chain: foundry, transport, account: poster }).writeContract({
      address: usd,
      abi: SeedUSDAbi,
      functionName: 'approve',
      args: [escrow, 3_000n],
    })
    await l1.waitForTransactionReceipt({ hash: approve })
    const postReceipt = await send(
      poster,
      postBountyCall(escrow, {
        kind: 'replica',
        inbox: manifest.contracts.rollupInbox,
        token: usd,
        pricePerEpoch: 1_000n,
        epochLength: 60n,
        maxOperators: 2,
        funds: 3_000n,
      }),
    )
    const [postedLog] = await l1.getContractEvents({
      address: escrow,
      abi: SeedBountyEscrowAbi,
      eventName: 'BountyPosted',
      blockHash: postReceipt.blockHash,
      strict: true,
    })
    const bountyId = postedLog!.args.bountyId

    // One operator joins (an ERC-8004 agent) and claims one epoch.
    const operator = await fundedAccount()
    const registered = await send(operator, registerAgentCall(identity))
    const [agent] = await l1.getContractEvents({
      address: identity,
      abi: IdentityRegistryAbi,
      eventName: 'Registered',
      blockHash: registered.blockHash,
      strict: true,
    })
    const agentId = agent!.args.agentId
    await send(operator, joinBountyCall(escrow, { bountyId, agentId }))
    const voucher = (cumulativeAmount: bigint) =>
      poster.signTypedData(epochVoucherTypedData({ chainId: foundry.id, escrow, bountyId, agentId, cumulativeAmount }))
    await send(
      operator,
      claimEpochsCall(escrow, { bountyId, agentId, cumulativeAmount: 1_000n, signature: await voucher(1_000n) }),
    )

    const close = await send(poster, requestCloseCall(escrow, { bountyId }))
    const bounty = await readBounty(l1, { escrow, bountyId })
    const { timestamp } = await l1.getBlock({ blockHash: close.blockHash })
    expect(bounty).toMatchObject({ closing: true, closeRequestedAt: timestamp })
    const withdraw = withdrawBountyCall(escrow, { bountyId, agentIds: [agentId] })
    expect(await rejects(poster.address, withdraw)).toBe('CloseDelayNotOver')

    // The close delay passes on a snapshot of the shared devnet, reverted after: the other test files sign with
    // the wall clock (user-op validity, x402 authorisations), so the devnet's clock must not stay an hour ahead.
    const snapshot = await l1.request({ method: 'evm_snapshot', params: [] } as never)
    try {
      await l1.request({ method: 'evm_increaseTime', params: [`0x${BOUNTY_CLOSE_DELAY.toString(16)}`] } as never)
      await l1.request({ method: 'evm_mine', params: [] } as never)
      const before = await balanceOf(poster.address)
      const withdrawn = await send(poster, withdraw)
      const [closed] = await l1.getContractEvents({
        address: escrow,
        abi: SeedBountyEscrowAbi,
        eventName: 'BountyClosed',
        blockHash: withdrawn.blockHash,
        strict: true,
      })
      // 500 unclaimed of the joined slot's 1,500 + the unjoined slot's 1,500.
      expect(closed!.args.refunded).toBe(2_000n)
      expect((await balanceOf(poster.address)) - before).toBe(2_000n)
      expect(await readBountySlot(l1, { escrow, bountyId, agentId })).toMatchObject({ claimed: 1_000n, closed: true })
      // A voucher signed after the close pays nothing: the slot is closed.
      const late = claimEpochsCall(escrow, {
        bountyId,
        agentId,
        cumulativeAmount: 1_500n,
        signature: await voucher(1_500n),
      })
      expect(await rejects(operator.address, late)).toBe('SlotIsClosed')
    } finally {
      await l1.request({ method: 'evm_revert', params: [snapshot] } as never)
      await l1.request({ method: 'evm_mine', params: [] } as never)
    }
    const { timestamp: now } = await l1.getBlock()
    expect(Number(now)).toBeLessThan(Date.now() / 1000 + 600) // the clock is back with the revert
  })
})
