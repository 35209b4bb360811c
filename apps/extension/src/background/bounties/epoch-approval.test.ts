/** A bounty epoch's payment under the wallet's policy: budgeted once (at the post), asked of the person above the threshold. */
import type { Action } from '@seed/aa'
import { type Bounty, postBountyCall, seedBountyEscrow } from '@seed/contracts'
import { type Address, encodeFunctionData, erc20Abi, parseUnits } from 'viem'
import { beforeEach, describe, expect, test } from 'vitest'
import type { BountySlotRecord } from '../../core/records.ts'
import { DEVNET_NETWORK, stored } from '../../core/storage.ts'
import { useMemoryExtension } from '../../test-support/memory-extension.ts'
import { actions, DEFAULT_POLICY } from '../actions/policy.ts'
import { executeRequest } from '../actions/requests.ts'
import { decide, getRequest, rejectByWindow } from '../approvals/approvals.ts'
import { EpochAwaitingApprovalError, epochPayment, reserveEpochOrAsk } from './epoch-approval.ts'

const account: Address = '0x00000000000000000000000000000000000000a1'
const payee: Address = '0x00000000000000000000000000000000000000b2'
const inbox: Address = '0x00000000000000000000000000000000000000c3'
const usdc = (amount: string) => parseUnits(amount, 6)
let usd: Address
let opened: { url?: string }[]

const bounty = (price: string): Bounty => ({
  bountyId: 7n,
  poster: account,
  kind: 'replica',
  inbox,
  token: usd,
  pricePerEpoch: usdc(price),
  epochLength: 3600n,
  maxOperators: 1,
  operators: 1,
  allotment: usdc('10'),
  unallotted: 0n,
  closing: false,
  closeRequestedAt: 0n,
})
const slot: BountySlotRecord = { agentId: '3', operator: payee, payee, probes: 1, passed: 1, reviewed: {} }

/** The bounty's deposit as posting sends it: approve + post, one op. */
const postAction = (funds: string): Action => {
  const escrow = seedBountyEscrow()
  return {
    requestedBy: 'Seed · Bounties',
    account,
    calls: [
      { to: usd, data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [escrow, usdc(funds)] }) },
      postBountyCall(escrow, {
        kind: 'replica',
        inbox,
        token: usd,
        pricePerEpoch: usdc('1'),
        epochLength: 3600n,
        maxOperators: 1,
        funds: usdc(funds),
      }),
    ],
  }
}
/** The epoch as the payer hands it to the policy: a transfer of its price to the agent's wallet. */
const epochAction = (price: string): Action => ({
  requestedBy: 'Seed · Bounties',
  account,
  calls: [
    { to: usd, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [payee, usdc(price)] }) },
  ],
  signature: { kind: 'typedData', primaryType: 'EpochVoucher' },
})
const pay = (price: string, reservation = `bounty:7:3:${usdc(price)}`) =>
  reserveEpochOrAsk(reservation, epochAction(price), epochPayment(bounty(price), slot))
const spentUsd = async () => (await actions.spent(86_400)).get(usd.toLowerCase()) ?? 0n
const requestIdOf = (url: string | undefined) => decodeURIComponent(url!.split('/approve/')[1]!)

beforeEach(async () => {
  opened = useMemoryExtension().openedWindows
  await stored.networks.set({
    [DEVNET_NETWORK]: {
      id: DEVNET_NETWORK,
      name: 'Local devnet',
      preset: 'devnet',
      l1: { chainId: 31337, rpcUrl: 'http://127.0.0.1:1' },
      bundlerUrl: 'http://127.0.0.1:2',
      beaconUrl: '',
      ipfsUrl: '',
      ipfsPeer: '',
      facilitatorUrl: '',
    },
  })
  const { getDevnetConfig } = await import('../../core/config.ts')
  usd = (await getDevnetConfig()).contracts.usd
})

describe('bounty money meets the budget once', () => {
  test('the deposit is counted when posted; paying its epochs adds nothing to the USD spent', async () => {
    await actions.reserve('post', postAction('10'))
    await actions.settle('post')
    expect(await spentUsd()).toBe(usdc('10'))
    await pay('1')
    await actions.settle(`bounty:7:3:${usdc('1')}`)
    await pay('1', `bounty:7:3:${usdc('2')}`)
    expect(await spentUsd()).toBe(usdc('10'))
  })

  test('an epoch is paid from a deposit even once the day’s budget is used up by it', async () => {
    await stored.policy.set({ ...DEFAULT_POLICY, dailyUsd: '10' })
    await actions.reserve('post', postAction('10'))
    await expect(pay('1')).resolves.toBeUndefined()
  })

  test('the kill switch still stops an epoch', async () => {
    await actions.setFrozen(true, 'test')
    await expect(pay('1')).rejects.toMatchObject({ code: 4100, name: 'PolicyDeniedError' })
  })

  test('the per-payment cap still applies to an epoch', async () => {
    await stored.policy.set({ ...DEFAULT_POLICY, perTxUsd: '0.5' })
    await expect(pay('1')).rejects.toMatchObject({ name: 'PolicyDeniedError' })
  })
})

describe('an epoch above the approval threshold asks the person', () => {
  beforeEach(async () => {
    await stored.policy.set({ ...DEFAULT_POLICY, approvalAboveUsd: '0.5' })
  })

  test('one window for the slot; the next ticks wait; approval lets the next tick pay', async () => {
    await expect(pay('1')).rejects.toBeInstanceOf(EpochAwaitingApprovalError)
    await expect(pay('1')).rejects.toBeInstanceOf(EpochAwaitingApprovalError)
    expect(opened).toHaveLength(1)
    const id = requestIdOf(opened[0]!.url)
    const request = await getRequest(id)
    expect(request).toMatchObject({ status: 'pending', method: 'seed_payBountyEpoch' })
    expect((request!.params as unknown[])[0]).toMatchObject({ bountyId: '7', agentId: '3', amount: '1', units: '1' })
    // Nothing is held while the person decides.
    expect(await actions.reservations()).toEqual([])

    await decide(id, true, executeRequest)
    expect((await stored.bountyEpochApprovals.get())['7:3']?.status).toBe('approved')
    await expect(pay('1')).resolves.toBeUndefined()
    expect(await actions.reservations()).toEqual([`bounty:7:3:${usdc('1')}`])
    expect(await stored.bountyEpochApprovals.get()).toEqual({})
    expect(opened).toHaveLength(1)
  })

  test('a rejection leaves the epoch unpaid and the slot refused; a later epoch asks again', async () => {
    await expect(pay('1')).rejects.toBeInstanceOf(EpochAwaitingApprovalError)
    await decide(requestIdOf(opened[0]!.url), false, executeRequest)
    expect((await stored.bountyEpochApprovals.get())['7:3']?.status).toBe('refused')
    expect(await actions.reservations()).toEqual([])
    await expect(pay('1')).rejects.toBeInstanceOf(EpochAwaitingApprovalError)
    expect(opened).toHaveLength(2)
  })

  test('closing the window is a rejection', async () => {
    await expect(pay('1')).rejects.toBeInstanceOf(EpochAwaitingApprovalError)
    await rejectByWindow(1)
    expect((await stored.bountyEpochApprovals.get())['7:3']?.status).toBe('refused')
  })

  test('an approval for an earlier total does not pay a different one', async () => {
    await expect(pay('1')).rejects.toBeInstanceOf(EpochAwaitingApprovalError)
    await decide(requestIdOf(opened[0]!.url), true, executeRequest)
    await expect(pay('1', `bounty:7:3:${usdc('2')}`)).rejects.toBeInstanceOf(EpochAwaitingApprovalError)
    expect(opened).toHaveLength(2)
  })
})
