import fs from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, startBuiltHost, type BuiltHost } from './support/built-host'
import { launchChromium } from './support/chromium'
import { ADMIN_PASSWORD, newPage, shot, signIn, SHOTS } from './support/pages'

let host: BuiltHost
let browser: Browser

beforeAll(async () => {
  ensureBuilt()
  fs.mkdirSync(SHOTS, { recursive: true })
  host = await startBuiltHost({ adminPassword: ADMIN_PASSWORD })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
})

describe('the audit log check', () => {
  it('an admin sees under 设置 that the chain is intact and the anchor agrees, and can verify again by keyboard', async () => {
    const page = await newPage(browser, 'audit-check')
    await signIn(page, 'admin', { url: host.url, password: ADMIN_PASSWORD })
    await page.getByRole('menuitem', { name: '设置' }).click()
    await page.getByRole('tab', { name: '审计日志' }).click()
    const verdict = page.getByText('完整：链条完好，锚点一致')
    await verdict.waitFor()
    expect(await page.getByText('与数据库一致').count()).toBe(1)
    await shot(page, 'audit-check')
    const again = page.getByRole('button', { name: '重新校验' })
    await again.focus()
    await page.keyboard.press('Enter')
    await verdict.waitFor()
    expect(await page.getByText(/完好（已校验 \d+ 条）/).count()).toBe(1)
  })
})
