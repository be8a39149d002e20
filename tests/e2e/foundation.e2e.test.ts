import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, newPage, openDialog, shot, signIn, submitLogin } from './support/pages'
import { builtHostSuite } from './support/suite'

const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD })

async function openStaffPage(page: Page) {
  await page.getByRole('menuitem', { name: '员工管理' }).click()
  await page.locator('.ag-row', { hasText: 'admin' }).first().waitFor()
}

/** The error text shown under one field of the open dialog. */
function fieldError(page: Page, inputId: string) {
  return page
    .getByRole('dialog')
    .locator('.ant-form-item', { has: page.locator(`#${inputId}`) })
    .locator('.ant-form-item-explain-error')
}

describe('foundation: sign-in, layout by role, staff management', () => {
  it('admin creates an agent, who then has no staff page and gets 无权访问', async () => {
    const page = await newPage(suite.browser, 'create-agent')
    await page.goto(suite.host.url)

    // a wrong password says so in Chinese
    await submitLogin(page, 'admin', 'not-the-password')
    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.innerText()).toContain('账号或密码错误')
    await shot(page, '01-wrong-password')

    await signIn(page, 'admin', { password: ADMIN_PASSWORD })
    expect(await page.getByTestId('user-menu').innerText()).toContain('管理员')
    await openStaffPage(page)
    expect(page.url()).toContain('#/staff')
    await shot(page, '02-staff-grid')

    const dialog = await openDialog(page, () => page.getByRole('button', { name: '新建员工' }).click())
    await dialog.getByLabel('账号').fill('e2e.agent')
    await dialog.getByLabel('姓名').fill('周测试')
    await dialog.locator('.ant-select', { has: page.locator('#staff_role') }).click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="经纪人"]').click()
    await dialog.getByLabel('电话').fill('138 0013 8000')
    await dialog.getByLabel('组别').fill('三组')
    await dialog.getByLabel('片区').fill('静安')
    await dialog.getByLabel('初始密码').fill('agent-pass-1')
    await shot(page, '03-create-form')
    await dialog.getByRole('button', { name: '创建' }).click()
    await dialog.waitFor({ state: 'hidden' })

    const row = page.locator('.ag-row', { hasText: 'e2e.agent' })
    await row.waitFor()
    const rowText = await row.innerText()
    for (const text of ['周测试', '经纪人', '三组', '静安', '在职']) expect(rowText).toContain(text)
    await shot(page, '04-created')

    await page.getByTestId('user-menu').click()
    await page.getByRole('menuitem', { name: '退出登录' }).click()
    await page.getByRole('button', { name: '登录', exact: true }).waitFor()
    expect(await page.getByText('您已退出登录').count()).toBe(1)

    await signIn(page, 'e2e.agent', { password: 'agent-pass-1' })
    expect(await page.getByTestId('user-menu').innerText()).toContain('周测试')
    expect(await page.getByTestId('user-menu').innerText()).toContain('经纪人')
    await page.getByRole('menuitem', { name: /客户$/ }).waitFor()
    expect(await page.getByRole('menuitem', { name: '员工管理' }).count()).toBe(0)
    // an agent starts the day on 跟进 (issue #16 item 13); the client list is one click away
    await page.getByRole('heading', { name: /今天是/ }).waitFor()
    expect(page.url()).toContain('#/follow-ups')
    await page.getByRole('menuitem', { name: /客户$/ }).click()
    await page.getByTestId('clients-grid').waitFor()
    await shot(page, '05-agent-home')

    await page.goto(`${suite.host.url}/#/staff`)
    await page.getByText('无权访问').waitFor()
    expect(await page.locator('.ag-root').count()).toBe(0)
    await shot(page, '06-agent-forbidden')

    // a reload keeps the session of this tab and still refuses the page
    await page.reload()
    await page.getByText('无权访问').waitFor()
    expect(await page.getByTestId('user-menu').innerText()).toContain('周测试')
    await page.context().close()
  })

  it('a server validation error shows on its form field in Chinese', async () => {
    const page = await newPage(suite.browser, 'field-errors')
    await page.goto(`${suite.host.url}/#/staff`)
    await signIn(page, 'admin', { password: ADMIN_PASSWORD })
    await page.locator('.ag-row', { hasText: 'admin' }).first().waitFor()

    const dialog = await openDialog(page, () => page.getByRole('button', { name: '新建员工' }).click())
    const create = dialog.getByRole('button', { name: '创建' })
    await dialog.getByLabel('账号').fill('ab')
    await dialog.getByLabel('姓名').fill('短账号')
    await dialog.getByLabel('初始密码').fill('long-enough-1')
    await create.click()
    await fieldError(page, 'staff_username').waitFor()
    expect(await fieldError(page, 'staff_username').innerText()).toBe('账号：至少 3 个字符')
    await shot(page, '07-username-too-short')

    await dialog.getByLabel('账号').fill('e2e.short')
    await dialog.getByLabel('初始密码').fill('short')
    await create.click()
    await fieldError(page, 'staff_password').waitFor()
    expect(await fieldError(page, 'staff_password').innerText()).toBe('密码：至少 8 个字符')
    await fieldError(page, 'staff_username').waitFor({ state: 'detached' })

    await dialog.getByLabel('账号').fill('ADMIN')
    await dialog.getByLabel('初始密码').fill('long-enough-1')
    await create.click()
    await fieldError(page, 'staff_username').waitFor()
    expect(await fieldError(page, 'staff_username').innerText()).toBe('账号已存在，请换一个')
    await shot(page, '08-username-taken')
    await page.context().close()
  })
})
