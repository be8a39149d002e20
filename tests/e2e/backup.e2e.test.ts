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
