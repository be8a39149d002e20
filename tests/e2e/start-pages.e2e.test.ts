import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, newPage, shot, signIn } from './support/pages'
import { builtHostSuite } from './support/suite'

const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true, demoClients: 200 })

/** The hash path the tab shows. */
const hashOf = (page: Page) => new URL(page.url()).hash

/** Signs out through the user menu and waits for the sign-in form. */
async function signOut(page: Page) {
  await page.getByTestId('user-menu').click()
  await page.getByRole('menuitem', { name: '退出登录' }).click()
  await page.getByRole('button', { name: '登录', exact: true }).waitFor()
}

describe('each role lands on its own start page (issue #16 item 13)', () => {
  it('front desk → 前台, agents → 跟进, manager → 团队, admin → 员工管理; after sign-out the next person at the PC lands on theirs', async () => {
    const page = await newPage(suite.browser, 'start-pages')
    await page.goto(suite.host.url)
    const landings: Array<[string, string | undefined, string, () => Promise<void>]> = [
      ['desk', undefined, '#/front-desk', () => page.getByLabel('刷卡或搜索客户').waitFor()],
      ['agent1', undefined, '#/follow-ups', () => page.getByRole('heading', { name: /今天是/ }).waitFor()],
      ['senior', undefined, '#/follow-ups', () => page.getByRole('heading', { name: /今天是/ }).waitFor()],
      ['manager', undefined, '#/team', () => page.getByTestId('team-agents').locator('.ant-table-row').first().waitFor()],
      ['admin', ADMIN_PASSWORD, '#/staff', () => page.locator('.ag-row', { hasText: 'admin' }).first().waitFor()],
    ]
    for (const [username, password, hash, shows] of landings) {
      await signIn(page, username, password ? { password } : {})
      await shows()
      expect(hashOf(page), username).toBe(hash)
      await shot(page, `start-${username}`)
      await signOut(page)
    }
    await page.context().close()
  })

  it("the manager's 团队 page lists every agent with today's counts; its menu entry is the manager's alone, and / goes home", async () => {
    const page = await newPage(suite.browser, 'team-page')
    await signIn(page, 'manager', { url: suite.host.url })
    const rows = page.getByTestId('team-agents').locator('.ant-table-row')
    await rows.first().waitFor()
    const names = await rows.allInnerTexts()
    for (const name of ['张资深', '陈经纪', '刘经纪', '赵经纪']) expect(names.some((r) => r.includes(name)), name).toBe(true)
    // the manager and the desk are not agents
    expect(names.some((r) => r.includes('王店长') || r.includes('李前台'))).toBe(false)
    for (const card of ['team-overdue', 'team-escalated', 'team-viewings', 'team-visits', 'team-claims', 'team-approvals']) await page.getByTestId(card).waitFor()
    await shot(page, 'team-page')
    // 待审批 opens 销控 on its 变更审批 tab
    await page.getByTestId('team-approvals').click()
    await page.getByRole('tab', { name: /变更审批/, selected: true }).waitFor()
    expect(hashOf(page)).toBe('#/board/approvals')
    await page.getByRole('menuitem', { name: /团队/ }).click()
    await page.getByTestId('team-page').waitFor()

    // from another page, / brings the manager back to 团队
    await page.getByRole('menuitem', { name: /客户$/ }).click()
    await page.getByTestId('clients-grid').waitFor()
    await page.evaluate(() => (window.location.hash = '#/'))
    await page.getByTestId('team-page').waitFor()
    expect(hashOf(page)).toBe('#/team')
    await signOut(page)

    // an agent has no 团队 in the menu, and the page by URL is refused
    await signIn(page, 'agent1')
    await page.getByRole('menuitem', { name: '跟进' }).waitFor()
    expect(await page.getByRole('menuitem', { name: '团队' }).count()).toBe(0)
    await page.evaluate(() => (window.location.hash = '#/team'))
    await page.getByText('无权访问').waitFor()
    expect(await page.getByTestId('team-page').count()).toBe(0)
    // 返回首页 leads to the agent's own start page
    await page.getByRole('button', { name: '返回首页' }).click()
    await page.getByRole('heading', { name: /今天是/ }).waitFor()
    expect(hashOf(page)).toBe('#/follow-ups')
    await page.context().close()
  })
})

// issue #19 fills 报表: it replaces the assertion of issue #16 item 10 (hidden, 页面不存在) with the new truth
describe('报表 is in the menu of whoever may see figures (issue #19; hidden before, issue #16 item 10)', () => {
  it('the manager, an agent and the admin have 报表 in the menu, and #/reports opens it', async () => {
    const page = await newPage(suite.browser, 'reports-menu')
    for (const [username, password] of [
      ['manager', undefined],
      ['agent1', undefined],
      ['admin', ADMIN_PASSWORD],
    ] as const) {
      await signIn(page, username, { url: suite.host.url, ...(password ? { password } : {}) })
      await page.locator('.app-sider .ant-menu-item').first().waitFor()
      const menu = await page.locator('.app-sider .ant-menu-item').allInnerTexts()
      expect(menu.length).toBeGreaterThan(0)
      expect(menu.some((m) => m.includes('报表')), username).toBe(true)
      await page.evaluate(() => (window.location.hash = '#/reports'))
      await page.getByRole('tab', { name: '关键指标' }).waitFor()
      expect(await page.getByText('页面不存在').count()).toBe(0)
      await shot(page, `reports-menu-${username}`)
      await signOut(page)
    }
    await page.context().close()
  })
})
