import { describe, expect, test } from 'vitest'
import { isTransientRuntimeError } from './messenger.ts'

describe('isTransientRuntimeError', () => {
  test('a service worker that went away mid-call is worth re-sending to', () => {
    for (const message of [
      'The message port closed before a response was received.',
      'Could not establish connection. Receiving end does not exist.',
      'A listener indicated an asynchronous response by returning true, but the message channel closed before a response was received',
    ]) {
      expect(isTransientRuntimeError(new Error(message))).toBe(true)
    }
  })

  test('a reloaded extension or a real failure is not', () => {
    expect(isTransientRuntimeError(new Error('Extension context invalidated.'))).toBe(false)
    expect(isTransientRuntimeError(new Error('User rejected the request.'))).toBe(false)
  })
})
