import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, newPage, shot, signIn } from './support/pages'
import { builtHostSuite } from './support/suite'

const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD })

describe('backups', () => {
  it('an admin takes a backup under 设置 › 备份与恢复 by keyboard, sees it listed, and restores it', async () => {
    const page = await newPage(suite.browser, 'backup-now')
    await signIn(page, 'admin', { url: suite.host.url, password: ADMIN_PASSWORD })
    await page.getByRole('menuitem', { name: '设置' }).click()
    await page.getByRole('tab', { name: '备份与恢复' }).click()
    await page.getByText('还没有备份').waitFor()
    const now = page.getByRole('button', { name: '立即备份' })
    await now.focus()
    await page.keyboard.press('Enter')
    // the new backup's row: taken by hand, with its restore button
    const row = page.getByRole('row').filter({ hasText: '手动' })
    await row.waitFor()
    expect(await row.count()).toBe(1)
    expect(await row.getByRole('button', { name: '恢复' }).count()).toBe(1)
    expect(await page.getByText('还没有备份').count()).toBe(0)
    await shot(page, 'backup-listed')
    // restoring it asks first, then says what came back and where the replaced database was kept
    await row.getByRole('button', { name: '恢复' }).click()
    await page.getByText(/^先校验备份/).waitFor()
    await page.locator('.ant-modal-confirm-btns').getByRole('button', { name: '恢复' }).click()
    const report = page.getByText(/^已恢复 .* 的备份：客户 0 位，员工 1 位，审计日志 \d+ 条（已校验）。原数据库另存为 keyuan\.db\.before-restore-\d{8}-\d{6}。$/)
    await report.waitFor()
    await shot(page, 'backup-restored')
  })
})

describe('系统状态', () => {
  it('an admin sees the database, integrity, audit chain, the last backup and the terminals under 设置 › 系统状态', async () => {
    const page = await newPage(suite.browser, 'health')
    await signIn(page, 'admin', { url: suite.host.url, password: ADMIN_PASSWORD })
    await page.getByRole('menuitem', { name: '设置' }).click()
    await page.getByRole('tab', { name: '系统状态' }).click()
    const panel = page.getByTestId('health-panel')
    // the backup taken above, hours 0; this page's own socket among the terminals
    await panel.getByText(/（0 小时前）$/).waitFor()
    for (const label of ['数据库大小', '完整性', '审计日志链', '最近备份', '已连接的终端', '数据库连接', '规则调度']) expect(await panel.getByText(label, { exact: true }).count()).toBe(1)
    await panel.getByText(/^正常（.* 检查）$/).waitFor()
    expect(await panel.getByText(/^正常，最新第 \d+ 条$/).count()).toBe(1)
    expect(await panel.getByText('备份已超过两天').count()).toBe(0)
    // the writer and every reader open, the checkpointer running, nothing replaced
    await panel.getByText(/^写入 1\/1，读取 (\d+)\/\1；.*检查点线程运行中；启动以来重启 0 次$/).waitFor()
    expect(await page.getByTestId('connections-short').count()).toBe(0)
    await shot(page, 'health')
  })
})
