import path from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, newPage, openDialog, shot, signIn, SHOTS } from './support/pages'
import { builtHostSuite } from './support/suite'

// issue #19 item 5: 导出 on the client grid downloads the list on screen as a watermarked xlsx.
const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true })

describe('export', () => {
  it("an agent exports the client list: the file downloads, watermarked, with the agent's own clients", async () => {
    const page = await newPage(suite.browser, 'export')
    await signIn(page, 'agent1', { url: `${suite.host.url}/#/clients` })
    const dialog = await openDialog(page, () => page.getByRole('button', { name: '导出' }).click())
    await expect.poll(() => dialog.getByText('每次最多导出').count()).toBe(1)
    await dialog.getByLabel('导出原因').fill('月度客户盘点')
    await shot(page, 'export-dialog')
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')])
    expect(download.suggestedFilename()).toMatch(/^客户导出-\d{12}\.xlsx$/)
    const file = path.join(SHOTS, 'export-e2e.xlsx')
    await download.saveAs(file)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const sheet = wb.worksheets[0]!
    expect(String(sheet.getRow(1).getCell(1).value)).toMatch(/^导出人：.+（agent1） 导出时间：/)
    expect(sheet.getRow(2).getCell(1).value).toBe('客户编号')
    expect(sheet.rowCount).toBeGreaterThan(2)
    const owners = new Set<string>()
    for (let r = 3; r <= sheet.rowCount; r++) owners.add(String(sheet.getRow(r).getCell(6).value))
    expect(owners.size).toBe(1)
    expect(wb.creator).toContain('(agent1)')
  })
})
