import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, newPage, openDialog, shot, signIn, submitLogin } from './support/pages'
import { builtHostSuite } from './support/suite'

// A host of its own: the lock this test provokes holds every sign-in from 127.0.0.1 for a minute.
const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD })

describe('sign-in lock', () => {
  it('the staff form refuses a weak password with its reason on the field', async () => {
    const page = await newPage(suite.browser, 'weak-password')
    await signIn(page, 'admin', { url: `${suite.host.url}/#/staff`, password: ADMIN_PASSWORD })
    const dialog = await openDialog(page, () => page.getByRole('button', { name: '新建员工' }).click())
    await dialog.getByLabel('账号').fill('zhangwei')
    await dialog.getByLabel('姓名').fill('张伟')
    await dialog.getByLabel('初始密码').fill('ZhangWei2026')
    await dialog.getByRole('button', { name: '创建' }).click()
    const error = dialog.locator('.ant-form-item', { has: page.locator('#staff_password') }).locator('.ant-form-item-explain-error')
    await error.waitFor()
    expect(await error.innerText()).toBe('密码：不能用账号、姓名（含拼音）或“客源”，倒写或加数字也不行')
    await dialog.getByLabel('初始密码').fill('qwertyuiop')
    await page.getByText('密码：不能是键盘或字母表上的连续键（如 qwerty、123456、abcdef）').waitFor()
    await shot(page, 'weak-password')
    await page.context().close()
  })

  it('after five wrong passwords the sign-in page counts the lock down live and keeps the button disabled; an admin lifts it', async () => {
    // the admin signs in first: a lock holds sign-ins, not sessions
    const adminPage = await newPage(suite.browser, 'unlock-admin')
    await signIn(adminPage, 'admin', { url: `${suite.host.url}/#/staff`, password: ADMIN_PASSWORD })
    const page = await newPage(suite.browser, 'sign-in-lock')
    await page.goto(suite.host.url)
    const alert = page.getByTestId('login-error')
    for (let i = 0; i < 5; i++) {
      await submitLogin(page, 'admin', `wrong-guess-${i}`)
      // the page empties the password field once the answer is in
      await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('#login_password')?.value ?? 'x') === '')
      expect(await alert.innerText()).toContain('账号或密码错误')
    }
    // the right password now meets the lock
    await submitLogin(page, 'admin', ADMIN_PASSWORD)
    await page.getByText(/请 \d+ 秒后再试/).waitFor()
    const seconds = () => alert.innerText().then((s) => Number(/请 (\d+) 秒后再试/.exec(s)?.[1]))
    const first = await seconds()
    expect(first).toBeGreaterThan(50)
    expect(first).toBeLessThanOrEqual(60)
    const button = page.locator('button[type="submit"]')
    expect(await button.isDisabled()).toBe(true)
    expect(await button.innerText()).toMatch(/\d+ 秒后可再试/)
    await shot(page, 'sign-in-locked')
    // live: the number goes down without any action on the page
    await page.waitForFunction((n) => {
      const m = /请 (\d+) 秒后再试/.exec(document.querySelector('[data-testid="login-error"]')?.textContent ?? '')
      return m !== null && Number(m[1]) < n
    }, first)
    // Enter in the password field does not send anything while locked
    await page.getByLabel('密码').fill(ADMIN_PASSWORD)
    await page.getByLabel('密码').press('Enter')
    expect(await button.isDisabled()).toBe(true)
    expect(await page.getByTestId('user-menu').count()).toBe(0)

    await adminPage.locator('.ag-row', { hasText: 'admin' }).first().click()
    await adminPage.getByRole('button', { name: '解除登录锁定' }).click()
    await adminPage.getByText('已解除 系统管理员 的登录锁定').waitFor()
    await signIn(page, 'admin', { url: suite.host.url, password: ADMIN_PASSWORD })
    await adminPage.context().close()
    await page.context().close()
  })
})
