import { describe, expect, it } from 'vitest'
import type { FromSandbox } from './protocol.ts'
import { createRunChannel, MAX_CALLS_IN_FLIGHT, MAX_LOG_ENTRIES, MAX_LOG_ENTRY_CHARS } from './run-channel.ts'

describe("a run's channel out of the sandbox", () => {
  it('posts at most MAX_LOG_ENTRIES log entries, each cut to MAX_LOG_ENTRY_CHARS, and counts the rest', () => {
    const posted: FromSandbox[] = []
    const channel = createRunChannel((m) => posted.push(m))
    for (let i = 0; i < MAX_LOG_ENTRIES + 100; i++)
      channel.host.log({ at: 0, level: 'info', values: ['x'.repeat(1_000_000)] })
    expect(posted).toHaveLength(MAX_LOG_ENTRIES)
    expect(channel.droppedLogs).toBe(100)
    const entry = posted[0] as Extract<FromSandbox, { type: 'log' }>
    expect(JSON.stringify(entry.entry.values).length).toBeLessThan(MAX_LOG_ENTRY_CHARS + 10)
  })

  it('refuses capability calls past MAX_CALLS_IN_FLIGHT until answers come back', async () => {
    const posted: FromSandbox[] = []
    const channel = createRunChannel((m) => posted.push(m))
    const calls = Array.from({ length: MAX_CALLS_IN_FLIGHT }, () => channel.host.call('wallet.balances', []))
    await expect(channel.host.call('wallet.balances', [])).rejects.toMatchObject({
      name: 'TooManyCallsError',
      code: -32005,
    })
    expect(posted).toHaveLength(MAX_CALLS_IN_FLIGHT)
    channel.answer(1, { eth: '1' })
    await expect(calls[0]).resolves.toEqual({ eth: '1' })
    channel.answer(2, undefined, { name: 'ProviderRpcError', message: 'refused', code: 4100 })
    await expect(calls[1]).rejects.toMatchObject({ message: 'refused', code: 4100 })
    const next = channel.host.call('rollup.status', [])
    expect(posted).toHaveLength(MAX_CALLS_IN_FLIGHT + 1)
    channel.answer(MAX_CALLS_IN_FLIGHT + 1, 'ok')
    await expect(next).resolves.toBe('ok')
  })
})
