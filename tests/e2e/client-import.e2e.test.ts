import fs from 'node:fs'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, SHOTS, animationsSettled, newPage, openDialog, shot, signIn } from './support/pages'
import { builtHostSuite } from './support/suite'

// issue 19 item 4: a manager imports a branch's client list from the 客户 page: dry run, import,
// and the workbook of the rows that were not imported; then, in the same dialog, follow-up history.
const DIR = `${SHOTS}/h19-b`
const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true })

/** Three good rows (a mobile prefix the demo generator never uses) and two refused ones. */
async function sheet(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('客户')
  ws.addRow(['客户姓名', '手机', '性别', '渠道', '意向区域'])
  ws.addRow(['导入甲', 18233440001, '男', '上门', '浦东'])
  ws.addRow(['导入乙', 18233440002, '女', '抖音', '徐汇'])
  ws.addRow(['导入丙', '182-3344-0003', '', '', ''])
  ws.addRow(['', 18233440004, '', '', ''])
  ws.addRow(['导入戊', 18233440005, '不详', '', ''])
  return Buffer.from(await wb.xlsx.writeBuffer())
}

describe('client import, in Chromium', () => {
  it('a manager uploads a sheet, sees the dry run, imports, and downloads the refused rows', async () => {
    fs.mkdirSync(DIR, { recursive: true })
    const page = await newPage(suite.browser, 'client-import', { viewport: { width: 1440, height: 900 }, shots: DIR })
    await signIn(page, 'manager', { url: `${suite.host.url}/#/clients` })
    const dialog = await openDialog(page, () => page.getByTestId('clients-import').click())
    await dialog.getByTestId('client-import-file').setInputFiles({ name: '门店客户.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await sheet() })
    const summary = dialog.getByTestId('client-import-summary')
    await summary.waitFor()
    expect(await summary.innerText()).toContain('共 5 行：新建 3，合并 0，拒绝 2，已导入过 0')
    await dialog.getByRole('tab', { name: /拒绝/ }).click()
    const refused = dialog.getByTestId('import-rows-refuse')
    await refused.getByText('姓名：姓名为空').waitFor()
    await refused.getByText('性别：无法识别的值：不详').waitFor()
    await animationsSettled(page)
    await shot(page, 'client-import-10-dry-run', DIR)

    await dialog.getByTestId('client-import-start').click()
    await dialog.getByTestId('client-import-done').getByText('导入完成：新建 3，合并 0').waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('client-import-errors').click()])
    expect(download.suggestedFilename()).toBe('门店客户-未导入的行.xlsx')
    // saved, not read where the browser left it: the browser may run in another process (support/shared-browser.ts)
    const refusedFile = `${DIR}/refused-rows.xlsx`
    await download.saveAs(refusedFile)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(refusedFile)
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, '客户姓名', '手机', '性别', '渠道', '意向区域', '原行号', '原因', 'Reason'])
    expect(wb.worksheets[0]!.rowCount).toBe(3)
    await animationsSettled(page)
    await shot(page, 'client-import-20-done', DIR)

    // the same dialog, by keyboard: follow-up history of a client just imported, and one of nobody
    await dialog.getByRole('radio', { name: '导入客户' }).focus()
    await page.keyboard.press('ArrowRight')
    await dialog.getByText('导入跟进记录（Excel / CSV）').waitFor()
    const [template] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('client-import-template').click()])
    expect(template.suggestedFilename()).toBe('跟进记录导入模板.csv')
    const history = '客户电话,跟进时间,跟进方式,跟进内容,跟进人\n18233440001,2025-03-05 14:30,面谈,看了样板间,manager\n18233449999,2025-03-05 15:00,电话,没这个人,manager\n'
    await dialog.getByTestId('client-import-file').setInputFiles({ name: '跟进记录.csv', mimeType: 'text/csv', buffer: Buffer.from(history) })
    await summary.getByText('共 2 行：新建跟进 1，拒绝 1，跳过（重复或已有）0').waitFor()
    await dialog.getByRole('tab', { name: /拒绝/ }).click()
    await dialog.getByTestId('import-rows-refuse').getByText('客户电话：系统中找不到这位客户：18233449999').waitFor()
    await dialog.getByTestId('client-import-start').click()
    await dialog.getByTestId('client-import-done').getByText('导入完成：写入跟进记录 1 条').waitFor()
    await shot(page, 'client-import-30-follow-ups', DIR)
  })
})
