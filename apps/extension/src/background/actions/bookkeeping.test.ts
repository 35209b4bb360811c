/** What execution records besides the chain: call bundles (EIP-5792 status) and the activity list. */
import { beforeEach, describe, expect, test } from 'vitest'
import { stored } from '../../core/storage.ts'
import { useMemoryExtension } from '../../test-support/memory-extension.ts'
import { callsStatus, claimBundle, saveBundle } from '../provider/calls-status.ts'
import { listActivity, recordActivity, recordRefusal } from './activity.ts'

beforeEach(() => {
  useMemoryExtension()
})

describe('call bundles', () => {
  test('a bundle answers only the origin it was handed to, as "unknown" to any other', async () => {
    await saveBundle({ id: '0xb1', chainId: 31337 })
    await expect(callsStatus('http://a.test', '0xb1')).rejects.toMatchObject({ code: 5730 })
    await claimBundle('0xb1', 'http://a.test')
    expect(await callsStatus('http://a.test', '0xb1')).toEqual({
      version: '2.0.0',
      id: '0xb1',
      chainId: '0x7a69',
      atomic: true,
      status: 100,
    })
    await expect(callsStatus('http://b.test', '0xb1')).rejects.toMatchObject({ code: 5730 })
  })

  test('a later save keeps the origin an earlier claim recorded', async () => {
    await saveBundle({ id: '0xb2', chainId: 31337 })
    await claimBundle('0xb2', 'http://a.test')
    await saveBundle({ id: '0xb2', chainId: 31337, transactionHash: '0x01', success: true })
    expect(await stored.callsBundles.item('0xb2').get()).toEqual({
      id: '0xb2',
      chainId: 31337,
      origin: 'http://a.test',
      transactionHash: '0x01',
      success: true,
    })
  })
})

describe('activity', () => {
  test('a refusal is listed as failed, newest first', async () => {
    await recordActivity({
      kind: 'connect',
      origin: 'http://a.test',
      chainId: 1,
      summary: 'Connected',
      status: 'success',
    })
    await recordRefusal({ origin: 'http://a.test', chainId: 1, method: 'personal_sign' }, new Error('over budget'))
    const [refusal, connect] = await listActivity()
    expect(refusal).toMatchObject({
      kind: 'signature',
      status: 'failed',
      summary: 'Refused personal_sign: over budget',
    })
    expect(connect?.summary).toBe('Connected')
  })

  test('the list keeps the newest 100 items', async () => {
    for (let i = 0; i < 105; i++)
      await recordActivity({ kind: 'userOp', origin: 'o', chainId: 1, summary: `#${i}`, status: 'success' })
    const list = await listActivity()
    expect(list).toHaveLength(100)
    expect(list[0]?.summary).toBe('#104')
  })
})
