import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { checkSender, isTransientRuntimeError, ROUTES } from './messenger.ts'

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

describe('sender checks', () => {
  const id = 'seedextensionid'
  const popup = { id, url: `chrome-extension://${id}/popup.html#/approve/1` }
  const worker = { id, url: `chrome-extension://${id}/background.js` }
  const tab = { id: 3 } as chrome.tabs.Tab
  const contentScript = { id, url: 'https://dapp.test/page', origin: 'https://dapp.test', tab }
  const extensionPageInTab = { ...popup, tab }
  const otherExtension = { id: 'other', url: 'chrome-extension://other/popup.html' }

  beforeEach(() => {
    vi.stubGlobal('chrome', { runtime: { id, getURL: (path: string) => `chrome-extension://${id}/${path}` } })
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  const allowed = (rule: Parameters<typeof checkSender>[0], sender: chrome.runtime.MessageSender) => {
    try {
      checkSender(rule, sender)
      return true
    } catch {
      return false
    }
  }

  test('ui:* come from extension pages only, never a content script', () => {
    for (const [type, route] of Object.entries(ROUTES))
      if (type.startsWith('ui:')) expect(route.from).toBe('extensionPage')
    expect(allowed('extensionPage', popup)).toBe(true)
    expect(allowed('extensionPage', contentScript)).toBe(false)
    expect(allowed('extensionPage', otherExtension)).toBe(false)
  })

  test('rpc comes from a content script in a tab', () => {
    expect(ROUTES.rpc.from).toBe('webPageTab')
    expect(allowed('webPageTab', contentScript)).toBe(true)
    expect(allowed('webPageTab', popup)).toBe(false)
  })

  test("the rollup node is reached only through the extension's own contexts, never straight from a content script", () => {
    // Else a compromised page renderer could skip the background's permission checks (rpc.ts).
    for (const type of ['rollup:request', 'rollup:batching', 'rollup:ping'] as const) {
      expect(allowed(ROUTES[type].from, contentScript)).toBe(false)
      expect(allowed(ROUTES[type].from, worker)).toBe(true)
      expect(allowed(ROUTES[type].from, popup)).toBe(true)
    }
  })

  test('the batcher key comes from the extension outside any tab', () => {
    expect(ROUTES['rollup:configureBatcher'].from).toBe('extensionOutsideTabs')
    expect(allowed('extensionOutsideTabs', worker)).toBe(true)
    expect(allowed('extensionOutsideTabs', extensionPageInTab)).toBe(false)
    expect(allowed('extensionOutsideTabs', contentScript)).toBe(false)
  })

  test("a script's capability calls and the trigger poll come only from the offscreen sandbox host; runs start from the extension", () => {
    const offscreen = { id, url: `chrome-extension://${id}/offscreen.html?genesis=%7B%7D` }
    for (const type of ['script:call', 'script:events'] as const) {
      expect(allowed(ROUTES[type].from, offscreen)).toBe(true)
      for (const other of [popup, worker, contentScript, extensionPageInTab, otherExtension])
        expect(allowed(ROUTES[type].from, other)).toBe(false)
    }
    // A capability call may move value: a lost answer is never re-sent.
    expect('retry' in ROUTES['script:call']).toBe(false)
    for (const type of ['script:run', 'script:stop'] as const) {
      expect(allowed(ROUTES[type].from, worker)).toBe(true)
      expect(allowed(ROUTES[type].from, contentScript)).toBe(false)
    }
  })
})
