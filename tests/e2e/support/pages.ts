import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { onTestFailed } from 'vitest'

/** The admin password the e2e hosts are started with. */
export const ADMIN_PASSWORD = 'e2e-admin-pass'
/** The password of every demo staff account (manager, agent1, desk…). */
export const DEMO_PASSWORD = 'keyuan-demo'
/** Where the e2e tests leave their screenshots. */
export const SHOTS = '/tmp/keyuan-e2e'

/**
 * Resolves once nothing on the page is moving: no finite CSS animation or transition runs and no
 * element carries an antd (rc-motion) enter/appear/leave class, which it puts on before the
 * animation starts. Spinners (infinite animations) do not count. For a screenshot after a tab
 * switch or a drawer opens.
 */
export async function animationsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const moving = document.getAnimations().some((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity)
    const motion = document.querySelector('[class*="-appear-start"], [class*="-appear-active"], [class*="-enter-start"], [class*="-enter-active"], [class*="-leave-start"], [class*="-leave-active"]')
    return !moving && motion === null
  })
}

/**
 * Whether the tests leave their screenshots for a person to look at (`KEYUAN_E2E_SHOTS=1`). Off
 * in `npm test` and CI: about 170 PNGs a run cost CPU and nobody reads them there. A failing
 * test leaves its `FAILED-<name>` screenshot either way.
 */
export const SHOTS_WANTED = process.env.KEYUAN_E2E_SHOTS === '1'

/** Saves a screenshot of the page (or of one element) as `<dir>/<name>.png` when SHOTS_WANTED. */
export async function shot(page: Pick<Page, 'screenshot'>, name: string, dir = SHOTS, opts: { fullPage?: boolean } = {}): Promise<void> {
  if (SHOTS_WANTED) await saveShot(page, name, dir, opts)
}

/** Saves a screenshot whether or not SHOTS_WANTED: a failed test's. */
export async function saveShot(page: Pick<Page, 'screenshot'>, name: string, dir = SHOTS, opts: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: path.join(dir, `${name}.png`), ...opts })
}

export interface NewPageOptions {
  /** 1366x768 (a front-desk screen) unless said */
  viewport?: { width: number; height: number }
  /** the folder for this tab's screenshots; SHOTS unless said */
  shots?: string
  /** runs on the tab's context before anything loads (init scripts) */
  prepare?(context: BrowserContext): Promise<void>
  /** runs when the test fails, after the screenshot (to report what the page said) */
  onFailed?(page: Page): Promise<void>
  /**
   * animate dialogs, drawers and tabs as a PC with animations on does; by default the tab asks for
   * reduced motion (the app then opens them at once), which spares every test the animations' time
   */
  motion?: boolean
}

/** A fresh zh-CN tab (1366x768 unless said) with generous timeouts; a failing test leaves its screenshot `FAILED-<name>`. */
export async function newPage(browser: Browser, name: string, opts: NewPageOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1366, height: 768 },
    locale: 'zh-CN',
    reducedMotion: opts.motion || process.env.E2E_MOTION === '1' ? 'no-preference' : 'reduce',
  })
  await opts.prepare?.(context)
  const page = await context.newPage()
  // generous: CI machines run several builds at once
  page.setDefaultTimeout(30_000)
  onTestFailed(async () => {
    await saveShot(page, `FAILED-${name}`, opts.shots ?? SHOTS, {})
    await opts.onFailed?.(page)
  })
  return page
}

/** Types username and password on the sign-in form and presses Enter. */
export async function submitLogin(page: Page, username: string, password: string) {
  await page.getByLabel('账号').fill(username)
  await page.getByLabel('密码').fill(password)
  await page.getByLabel('密码').press('Enter')
}

/**
 * Signs in on the sign-in form and waits for the app. With `url`, opens it first (the form
 * shows, then that page); the password is the demo accounts' unless said.
 */
export async function signIn(page: Page, username: string, opts: { url?: string; password?: string } = {}) {
  if (opts.url) await page.goto(opts.url)
  await submitLogin(page, username, opts.password ?? DEMO_PASSWORD)
  await page.getByTestId('user-menu').waitFor()
}

/**
 * Clicks what opens a dialog and returns the dialog once its opening animation is over. antd moves
 * the focus into a dialog when the animation ends; typing before that can land in the wrong field
 * on a loaded machine (seen in CI: the 姓名 text went into 账号).
 */
export async function openDialog(page: Page, open: () => Promise<void>) {
  await open()
  const dialog = page.getByRole('dialog')
  await dialog.waitFor()
  await page.waitForFunction(() => {
    const modal = document.querySelector('.ant-modal')
    return modal !== null && !/ant-zoom-(appear|enter)/.test(modal.className) && modal.contains(document.activeElement)
  })
  return dialog
}
