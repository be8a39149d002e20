import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, newPage, shot, signIn } from './support/pages'
import { builtHostSuite } from './support/suite'

const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD })

describe('the audit log check', () => {
  it('an admin sees under 设置 that the chain is intact and the anchor agrees, and can verify again by keyboard', async () => {
    const page = await newPage(suite.browser, 'audit-check')
    await signIn(page, 'admin', { url: suite.host.url, password: ADMIN_PASSWORD })
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
