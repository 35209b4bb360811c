/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Optionally loads an
 * unpacked extension; Playwright adds --disable-extensions by default, so both flags are needed.
 * A persistent profile is used so IndexedDB is on disk (restart tests need that).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

export type LaunchOptions = {
  /** Folder of an unpacked MV3 extension to load. */
  extensionPath?: string
  /** Reuse a profile (to test a browser restart); default: a fresh temp dir removed on close. */
  userDataDir?: string
}

export type Browser = {
  context: BrowserContext
  userDataDir: string
  /** The loaded extension's id, when extensionPath was given. */
  extensionId?: string
  close(options?: { keepProfile?: boolean }): Promise<void>
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: run \`node scripts/ensure-chromium.mjs\` (apt-get install chromium)`,
    )
  }
  // Under the test run's folder when there is one (global-setup.ts), so a crashed test leaves nothing behind.
  const userDataDir = options.userDataDir ?? mkdtempSync(join(process.env.SEED_TEST_TMP ?? tmpdir(), 'seed-chromium-'))
  const args = [...BASE_ARGS]
  if (options.extensionPath) {
    args.push(`--disable-extensions-except=${options.extensionPath}`, `--load-extension=${options.extensionPath}`)
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args,
  })
  let extensionId: string | undefined
  if (options.extensionPath) {
    const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }))
    extensionId = new URL(sw.url()).host
  }
  return {
    context,
    userDataDir,
    extensionId,
    async close({ keepProfile = false } = {}) {
      await context.close()
      if (!keepProfile && !options.userDataDir) rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}
