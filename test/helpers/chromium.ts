import type { BrowserContext, Page } from 'playwright-core'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

/** Debian's `chromium` package; CI installs it (`.ci/run`). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Flags for a quiet, reproducible headless Chromium: no sandbox (CI runs as root), no GPU, and no
 * traffic of its own (first-run pages, component updates, sync, QUIC). `--headless` and a fresh
 * `--user-data-dir` come from Playwright's launch.
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
]

/** What the page said and asked for while it was open. */
export interface PageLog {
  /** Console messages of type error, and uncaught exceptions. */
  errors: string[]
  /** Every URL the page requested, the page itself included. */
  requests: string[]
}

/**
 * Opens `file` in headless Chromium with a new, empty profile, hands the page to `use`, and closes
 * everything afterwards. Throws a clear error, never skips, when Chromium is not installed.
 */
export async function withPage<T>(file: string, viewport: { width: number, height: number }, use: (page: Page, log: PageLog) => Promise<T>): Promise<T> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: the HTML report test opens the report in it. `
      + 'Install it with `apt-get update && apt-get install -y chromium` (CI does, in .ci/run), or set CHROMIUM_PATH.')
  }
  const profile = mkdtempSync(join(tmpdir(), 'vitest-load-chromium-'))
  let context: BrowserContext | undefined
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport,
      colorScheme: 'light',
    })
    const page = context.pages()[0] ?? await context.newPage()
    const log: PageLog = { errors: [], requests: [] }
    page.on('console', (message) => {
      if (message.type() === 'error')
        log.errors.push(message.text())
    })
    page.on('pageerror', error => log.errors.push(`uncaught: ${error.message}`))
    page.on('request', request => log.requests.push(request.url()))
    await page.goto(`file://${file}`, { waitUntil: 'load' })
    return await use(page, log)
  }
  finally {
    await context?.close()
    rmSync(profile, { recursive: true, force: true })
  }
}
