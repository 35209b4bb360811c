/**
 * The scripting console as a person drives it: the side panel page, its editor, Run and the run's
 * output; and the run records the sandbox host keeps in IndexedDB, read from the service worker.
 */
import type { Browser } from '@seed/testkit/chromium'
import type { BrowserContext, Page } from 'playwright-core'
import type { RunRecord } from '../src/console/store.ts'

export async function openConsole(browser: Browser & { extensionId: string }): Promise<Page> {
  const page = await browser.context.newPage()
  await page.setViewportSize({ width: 420, height: 900 })
  await page.goto(`chrome-extension://${browser.extensionId}/sidepanel.html`)
  await page.locator('.cm-content').waitFor()
  return page
}

/** Replaces the editor's text like typing would (CodeMirror sees an input). */
export async function typeScript(page: Page, source: string) {
  await page.locator('.cm-content').click()
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Delete')
  await page.keyboard.insertText(source)
}

/** Types `source`, sets the limits and presses Run; resolves with the run's id once it is running or done. */
export async function startScript(page: Page, source: string, limits: { cpuMs?: number; memoryMiB?: number } = {}) {
  await typeScript(page, source)
  await page.getByTestId('cpu-ms').fill(String(limits.cpuMs ?? 2000))
  await page.getByTestId('memory-mib').fill(String(limits.memoryMiB ?? 32))
  const previous = await page
    .getByTestId('run-output')
    .getAttribute('data-run-id')
    .catch(() => null)
  await page.getByTestId('run-script').click()
  const output = page.locator(`[data-testid="run-output"]:not([data-run-id="${previous}"])`)
  await output.waitFor()
  return (await output.getAttribute('data-run-id'))!
}

/** Waits until the shown run has ended; returns its status attribute. */
export async function finished(page: Page, runId: string, timeout = 60_000) {
  const output = page.locator(`[data-testid="run-output"][data-run-id="${runId}"]:not([data-status="running"])`)
  await output.waitFor({ timeout })
  return output.getAttribute('data-status')
}

/** Every run record, newest first (IndexedDB `seed-console`, read in the service worker). */
export async function runRecords(browser: Browser): Promise<RunRecord[]> {
  const worker = browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'))
  return worker.evaluate(
    () =>
      new Promise<RunRecord[]>((resolve, reject) => {
        const open = indexedDB.open('seed-console')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const request = open.result.transaction('runs').objectStore('runs').getAll()
          request.onsuccess = () => {
            open.result.close()
            resolve((request.result as RunRecord[]).sort((a, b) => b.startedAt - a.startedAt))
          }
        }
      }),
  )
}

/**
 * The approval window the background opened (found among the open pages: its "page" event can
 * come before its URL is the approval's, which an event predicate would miss).
 */
export async function approvalPage(context: BrowserContext, timeout = 30_000): Promise<Page> {
  const deadline = Date.now() + timeout
  for (;;) {
    const page = context.pages().find((p) => p.url().includes('/popup.html#/approve/'))
    if (page) return page
    if (Date.now() > deadline) throw new Error('No approval window opened')
    await new Promise((r) => setTimeout(r, 100))
  }
}
