import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, newPage, shot, signIn } from './support/pages'
import { builtHostSuite } from './support/suite'

// issue #19 item 2, as a manager reads it: 报表 from the menu, the six KPIs, another period, 客户地图 and its filter
const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true })
const KPIS = ['客户信息完整率', '维护响应时间', '公客池认领率', '潜在转意向率', '意向转成交率', '复购/转介率']

describe('报表 in Chromium', () => {
  it('the manager opens 报表, sees the six KPIs with targets and trends and the agents, and changes the period', async () => {
    const page = await newPage(suite.browser, 'reports')
    await signIn(page, 'manager', { url: suite.host.url })
    await page.locator('.app-sider .ant-menu-item', { hasText: '报表' }).click()
    const cards = page.locator('.reports-kpi-card')
    await cards.nth(5).waitFor()
    for (const [i, name] of KPIS.entries()) {
      const card = cards.nth(i)
      expect(await card.locator('.ant-card-head-title').innerText()).toBe(name)
      // a value or 暂无数据, a target, and a trend chart drawn as SVG
      expect(await card.locator('.reports-kpi-target').innerText()).toMatch(/目标 [≥≤]/)
      await card.locator('.reports-chart svg').waitFor()
    }
    expect(await page.locator('body').innerText()).not.toContain('NaN')
    const agents = page.locator('.reports-table', { hasText: '按经纪人' }).locator('tr.ant-table-row')
    expect(await agents.count()).toBeGreaterThan(1)
    await shot(page, 'reports-month')

    const range = page.locator('.reports-toolbar .ant-typography').first()
    const monthRange = await range.innerText()
    await page.getByText('本周', { exact: true }).click()
    await expect.poll(() => range.innerText()).not.toBe(monthRange)
    await cards.first().locator('.reports-chart svg').waitFor()
    expect(await page.locator('body').innerText()).not.toContain('NaN')
    await shot(page, 'reports-week')

    // 客户地图: the city's sixteen district outlines drawn (names and figures on them), then one agent's clients only
    await page.getByRole('tab', { name: '客户地图' }).click()
    await page.getByText('本月', { exact: true }).click()
    const map = page.locator('.reports-districts-map .reports-chart')
    await expect.poll(() => map.locator('svg path').count()).toBeGreaterThanOrEqual(16)
    await expect.poll(() => map.locator('svg').textContent()).toContain('浦东')
    for (const district of ['崇明', '静安', '黄浦']) expect(await map.locator('svg').textContent()).toContain(district)
    const tableText = () => page.locator('.reports-districts-table').innerText()
    const allClients = await tableText()
    await page.locator('.reports-filters .ant-select', { has: page.getByRole('combobox', { name: '统计对象' }) }).click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').last().click()
    await expect.poll(tableText).not.toBe(allClients)
    expect(await page.locator('body').innerText()).not.toContain('NaN')
    await shot(page, 'reports-districts')
    await page.context().close()
  })
})
