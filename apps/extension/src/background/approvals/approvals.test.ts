import type { Action } from '@seed/aa'
import { type Address, parseEther } from 'viem'
import { beforeEach, describe, expect, test } from 'vitest'
import { ErrorCode } from '../../core/errors.ts'
import type { PendingRequest } from '../../core/protocol.ts'
import { stored } from '../../core/storage.ts'
import { useMemoryExtension } from '../../test-support/memory-extension.ts'
import { actions, reservationOf } from '../actions/policy.ts'
import {
  decide,
  type Executor,
  getRequest,
  pruneRequests,
  rejectByWindow,
  requestApproval,
  resumeApprovedRequests,
  runPreApproved,
} from './approvals.ts'

const account: Address = '0x00000000000000000000000000000000000000a1'
const origin = 'http://dapp.test'
const spend: Action = {
  requestedBy: origin,
  account,
  calls: [{ to: '0x00000000000000000000000000000000000000b2', value: parseEther('0.1') }],
}
const request = (id: string) => ({ id, origin, method: 'eth_sendTransaction', params: [], chainId: 31337 })

let env: ReturnType<typeof useMemoryExtension>
beforeEach(() => {
  env = useMemoryExtension()
})

/** A page's request as rpc.ts makes it: its spend reserved, then the approval asked for. */
async function ask(id: string, execute: Executor) {
  await actions.reserve(reservationOf(id), spend)
  const answer = requestApproval(request(id), execute)
  answer.catch(() => {}) // observed by the test; never an unhandled rejection
  await waitFor(async () => (await getRequest(id))?.windowId !== undefined)
  return { answer } // wrapped: returning the promise itself would make `await ask()` wait for the decision
}

async function waitFor(condition: () => Promise<boolean>) {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return
    await new Promise((r) => setTimeout(r, 5))
  }
  throw new Error('condition not met')
}

const openReservations = () => actions.reservations()

describe('approvals', () => {
  test('request → approve → the executor runs once and the page gets its result', async () => {
    const runs: PendingRequest[] = []
    const execute: Executor = async (r) => {
      runs.push(r)
      await actions.settle(reservationOf(r.id))
      return '0xhash'
    }
    const { answer } = await ask('r1', execute)
    expect(env.openedWindows[0]?.url).toBe('chrome-extension://seed/popup.html#/approve/r1')
    expect((await getRequest('r1'))?.status).toBe('pending')

    const settled = await decide('r1', true, execute)
    expect(settled).toMatchObject({ status: 'done', result: '0xhash' })
    await expect(answer).resolves.toBe('0xhash')
    expect(runs).toHaveLength(1)
    expect(await openReservations()).toEqual([])
    // A second decision (the window re-sent it) changes nothing.
    expect(await decide('r1', false, execute)).toMatchObject({ status: 'done' })
    expect(runs).toHaveLength(1)
  })

  test('reject: the page gets 4001 and exactly that reservation is released', async () => {
    await actions.reserve(reservationOf('other'), spend)
    const { answer } = await ask('r2', async () => {
      throw new Error('a rejected request must not run')
    })
    expect(await decide('r2', false, async () => null)).toMatchObject({ status: 'rejected' })
    await expect(answer).rejects.toMatchObject({ code: ErrorCode.userRejected })
    expect(await openReservations()).toEqual([reservationOf('other')])
  })

  test('closing the approval window rejects and releases', async () => {
    const { answer } = await ask('r3', async () => null)
    const { windowId } = (await getRequest('r3'))!
    await rejectByWindow(windowId!)
    await expect(answer).rejects.toMatchObject({ code: ErrorCode.userRejected })
    expect(await openReservations()).toEqual([])
  })

  test('a failure before anything left the wallet releases the reservation', async () => {
    const execute: Executor = async () => {
      throw new Error('bundler unreachable')
    }
    const { answer } = await ask('r4', execute)
    expect(await decide('r4', true, execute)).toMatchObject({ status: 'failed' })
    await expect(answer).rejects.toThrow('bundler unreachable')
    expect(await openReservations()).toEqual([])
  })

  test('a failure after a submitted user op keeps its spend (settled, it may still land)', async () => {
    const execute: Executor = async (_r, journal) => {
      await journal({ kind: 'userOp', userOp: {}, userOpHash: '0x01', entryPoint: account, submitted: true })
      throw new Error('receipt timed out')
    }
    await ask('r5', execute)
    const failed = await decide('r5', true, execute)
    expect(failed).toMatchObject({ status: 'failed', execution: { kind: 'userOp', submitted: true } })
    expect(await openReservations()).toEqual([])
    expect((await actions.spent(86_400)).get('eth')).toBe(parseEther('0.1'))
  })

  test('restart: an approved record is finished from its journal, and orphan reservations are released', async () => {
    // What a worker that died mid-send left behind: the record with its journaled L2 tx, and a
    // reservation whose request no longer exists.
    await actions.reserve(reservationOf('r6'), spend)
    await actions.reserve(reservationOf('gone'), spend)
    const journaled = { kind: 'l2' as const, raw: '0x02' as const, hash: '0x03' as const }
    await stored.requests
      .item('r6')
      .set({ ...request('r6'), status: 'approved', createdAt: Date.now(), execution: journaled })

    const seen: PendingRequest[] = []
    await resumeApprovedRequests(async (r) => {
      seen.push(r)
      await actions.settle(reservationOf(r.id))
      return r.execution?.kind === 'l2' ? r.execution.hash : null
    })
    await waitFor(async () => (await getRequest('r6'))?.status === 'done')
    expect(seen.map((r) => r.execution)).toEqual([journaled])
    expect((await getRequest('r6'))?.result).toBe('0x03')
    expect(await openReservations()).toEqual([])
    // The page re-sends its request id after the restart: it gets the same answer, nothing re-runs.
    await expect(requestApproval(request('r6'), async () => 'again')).resolves.toBe('0x03')
    expect(seen).toHaveLength(1)
  })

  test('a pre-approved request (a use of an ERC-7715 grant) runs without a window, once however often it is re-sent', async () => {
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const runs: PendingRequest[] = []
    const execute: Executor = async (r) => {
      runs.push(r)
      await gate
      return '0xgranted'
    }
    const first = runPreApproved(request('r9'), execute)
    const resent = runPreApproved(request('r9'), execute)
    await waitFor(async () => runs.length === 1)
    expect((await getRequest('r9'))?.status).toBe('approved')
    release()
    await expect(first).resolves.toBe('0xgranted')
    await expect(resent).resolves.toBe('0xgranted')
    expect(runs).toHaveLength(1)
    expect(env.openedWindows).toEqual([])
  })

  test('attack: the same request id sent twice at once opens one window, and both get its outcome', async () => {
    await actions.reserve(reservationOf('r10'), spend)
    const execute: Executor = async (r) => {
      await actions.settle(reservationOf(r.id))
      return '0xonce'
    }
    const first = requestApproval(request('r10'), execute)
    const resent = requestApproval(request('r10'), execute)
    await waitFor(async () => (await getRequest('r10'))?.windowId !== undefined)
    await new Promise((r) => setTimeout(r, 20)) // a second window would have opened by now
    expect(env.openedWindows).toHaveLength(1)
    await decide('r10', true, execute)
    await expect(first).resolves.toBe('0xonce')
    await expect(resent).resolves.toBe('0xonce')
  })

  test('settled records are pruned after a while, pending ones never', async () => {
    await ask('r7', async () => null)
    await decide('r7', false, async () => null)
    await ask('r8', async () => null)
    await pruneRequests(-1)
    expect(await getRequest('r7')).toBeUndefined()
    expect((await getRequest('r8'))?.status).toBe('pending')
  })
})
