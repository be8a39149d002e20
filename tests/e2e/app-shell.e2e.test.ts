import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, newPage, shot, signIn } from './support/pages'
import { builtHostSuite } from './support/suite'

const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD })

describe('a lost connection to the host', () => {
  it('shows a banner while the host is away and keeps a dialog saved meanwhile; when it is back the banner goes and calls work without signing in again', async () => {
    const page = await newPage(suite.browser, 'reconnect')
    await signIn(page, 'admin', { url: suite.host.url, password: ADMIN_PASSWORD })
    // 客户 opened once (its code is loaded on first open; a page never opened comes when the host is back)
    await page.getByRole('menuitem', { name: /客户$/ }).click()
    await page.getByTestId('clients-total').waitFor()
    await page.getByRole('menuitem', { name: '员工管理' }).click()
    await page.locator('.ag-row', { hasText: 'admin' }).first().waitFor()

    await suite.host.stopProcess()
    const banner = page.getByTestId('connection-banner')
    await banner.waitFor()
    expect(await banner.innerText()).toContain('与主机的连接已断开，正在重新连接')
    // it keeps trying on its own, and counts
    await banner.getByText('第 2 次').waitFor()
    await shot(page, 'reconnect-01-banner')

    // a dialog saved now stays open with what was typed, and says so
    await page.locator('.ag-row', { hasText: 'admin' }).first().click()
    await page.getByRole('button', { name: '编辑' }).click()
    const form = page.getByRole('dialog', { name: /编辑员工/ })
    await form.locator('#staff_team').fill('断线保留')
    await form.getByRole('button', { name: '保存' }).click()
    await form.getByTestId('form-kept-offline').waitFor()
    expect(await form.locator('#staff_team').inputValue()).toBe('断线保留')
    await form.getByRole('button', { name: '取消' }).click()
    await form.waitFor({ state: 'hidden' })

    // a call made now says at once that the host cannot be reached (no 30 s wait)
    await page.getByRole('menuitem', { name: /客户$/ }).click()
    await page.locator('.ant-message').getByText('客户列表加载失败：无法连接主机').waitFor()
    await shot(page, 'reconnect-02-offline-call')

    await suite.host.restart()
    await banner.waitFor({ state: 'detached' })
    await page.getByText('已重新连接主机').waitFor()
    // the list that failed meanwhile loads again by itself
    await expect.poll(() => page.locator('.ag-row', { hasText: '加载中' }).count()).toBe(0)
    await shot(page, 'reconnect-03-back')

    // the same sign-in, no form: the staff list loads again over the new socket
    expect(await page.getByRole('button', { name: '登录' }).count()).toBe(0)
    await page.getByRole('menuitem', { name: '员工管理' }).click()
    await page.locator('.ag-row', { hasText: 'admin' }).first().waitFor()
    expect(await page.getByTestId('user-menu').innerText()).toContain('管理员')
  })
})

describe('first start on the desktop', () => {
  it('shows the first admin sign-in and the recovery key sheet the desktop hands over, then the sign-in form, where it works', async () => {
    const recoveryKey = 'ABCDE0-FGHJK1-MNPQR2-STVWX3-YZ0125-6789A4-BCDEF5-GHJKM6'
    const page = await newPage(suite.browser, 'first-run', {
      // the preload's bridge as Electron main answers on a new database (main hands it over once)
      prepare: (context) =>
        context.addInitScript(({ password, recoveryKey }) => {
          let given = false
          Object.defineProperty(window, 'desktop', {
            value: {
              firstRun: async () => (given ? null : ((given = true), { username: 'admin', password, recoveryKey })),
              version: async () => '0.0.0',
              notify: async () => {},
              onCardSwipe: () => () => {},
              onCardStatus: () => () => {},
              onCardRejected: () => () => {},
            },
          })
        }, { password: ADMIN_PASSWORD, recoveryKey }),
    })
    await page.goto(suite.host.url)
    const card = page.getByTestId('first-run')
    await card.waitFor()
    expect(await card.innerText()).toContain('只显示这一次')
    expect(await page.getByTestId('first-run-password').innerText()).toBe(ADMIN_PASSWORD)
    // the recovery key, once, with its sheet: only the sheet prints, in Chinese and English
    expect(await page.getByTestId('first-run-recovery-key').innerText()).toBe(recoveryKey)
    const sheet = page.locator('.recovery-sheet')
    expect(await sheet.isVisible()).toBe(false)
    await page.emulateMedia({ media: 'print' })
    expect(await sheet.isVisible()).toBe(true)
    const printed = await sheet.innerText()
    for (const text of [recoveryKey, '客源 恢复密钥单', 'Keyuan recovery key sheet', '旧备份仍需旧的恢复密钥', 'older backups still need the older recovery key']) expect(printed).toContain(text)
    await page.emulateMedia({ media: 'screen' })
    await shot(page, 'first-run')
    await page.getByRole('button', { name: '我已记下，去登录' }).click()
    await signIn(page, 'admin', { password: ADMIN_PASSWORD })
    expect(await page.getByTestId('user-menu').innerText()).toContain('管理员')
  })
})
