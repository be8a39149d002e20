import fs from 'node:fs'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, newPage, shot, signIn, SHOTS } from './support/pages'
import { builtHostSuite } from './support/suite'

const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true })

/** A day and time in the branch's zone (Asia/Shanghai) as the pickers take it, `days` from today. */
function branchTime(days: number, hhmm: string): string {
  const day = new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
  return `${day} ${hhmm}`
}

/** Types a date-time into an antd DatePicker and leaves it with Tab (the pickers need no OK). */
async function pickTime(dialog: Locator, label: string, value: string) {
  const input = dialog.getByLabel(label)
  await input.click()
  await input.fill(value)
  await input.press('Tab')
  expect(await input.inputValue()).toBe(value)
}

/** The client name shown on a row of the Today page. */
async function clientOf(row: Locator): Promise<string> {
  return (await row.locator('.work-client-link button').innerText()).trim()
}

/** Books a viewing from the open 预约带看 dialog. */
async function bookViewing(page: Page, address: string, at: string) {
  const dialog = page.getByRole('dialog', { name: /预约带看/ })
  await dialog.getByLabel('看房地址').fill(address)
  await pickTime(dialog, '开始时间', at)
  await dialog.getByRole('button', { name: '预约带看' }).click()
  return dialog
}

describe('follow-ups: the agent’s day, viewings, print, rules, pool', () => {
  it('an agent sees tasks, logs a follow-up that closes one, books viewings (with a conflict) and prints a sheet as PDF', async () => {
    const page = await newPage(suite.browser, 'agent-day')
    await signIn(page, 'agent1', { url: `${suite.host.url}/#/follow-ups` })
    const tasks = page.getByTestId('today-task')
    await tasks.first().waitFor()
    expect(await page.getByRole('heading', { name: /今天是/ }).innerText()).toContain('陈经纪')
    await shot(page, '10-today')

    // log a follow-up on the first task's client; the task leaves the list
    const task = tasks.first()
    const title = (await task.locator('.work-task-title strong').innerText()).trim()
    const clientA = await clientOf(task)
    const sameTask = tasks.filter({ hasText: title }).filter({ hasText: clientA })
    expect(await sameTask.count()).toBe(1)
    await task.getByRole('button', { name: '记录跟进' }).click()
    const dialog = page.getByRole('dialog', { name: /记录跟进/ })
    await dialog.locator('label', { hasText: '微信' }).click()
    await dialog.getByLabel('跟进内容').fill('微信沟通，客户周末有空看房，预算 300 万左右')
    await dialog.locator('.ant-select', { has: page.locator('#followUp_intention') }).click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="强烈"]').click()
    expect(await dialog.getByRole('checkbox', { name: /同时完成任务/ }).isChecked()).toBe(true)
    await shot(page, '11-follow-up-modal')
    await dialog.getByRole('button', { name: '保存跟进' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.getByText(/已记录跟进/).first().waitFor()
    await expect.poll(() => sameTask.count()).toBe(0)
    await shot(page, '12-task-closed')

    // book a viewing for another client, then one overlapping it for a third: the agent is busy
    const rowB = tasks.filter({ hasNotText: clientA }).first()
    const clientB = await clientOf(rowB)
    const rowC = tasks.filter({ hasNotText: clientA }).filter({ hasNotText: clientB }).first()
    await rowB.getByRole('button', { name: '预约带看' }).click()
    let booking = await bookViewing(page, '万科城 3 期 12 栋 1801', branchTime(3, '10:00'))
    await booking.waitFor({ state: 'hidden' })
    await page.getByText(/已预约带看/).first().waitFor()

    await rowC.getByRole('button', { name: '预约带看' }).click()
    booking = await bookViewing(page, '中海御景 2 栋 602', branchTime(3, '10:30'))
    const error = booking.locator('.ant-form-item-explain-error')
    await error.waitFor()
    expect(await error.innerText()).toContain('经纪人在这个时间段已有带看')
    expect(await error.innerText()).toContain(clientB)
    await shot(page, '13-viewing-conflict')
    await booking.getByRole('button', { name: '取消' }).click()
    await booking.waitFor({ state: 'hidden' })
    // one beyond the next month: the client's log lists every viewing of the client, not a calendar window
    await rowB.getByRole('button', { name: '预约带看' }).click()
    booking = await bookViewing(page, '前滩太古里 5 号楼 2201', branchTime(45, '15:00'))
    await booking.waitFor({ state: 'hidden' })

    // B's shared log beside the list: the viewing, a team note; then print the confirmation sheet
    await rowB.locator('.work-client-link button').click()
    const drawer = page.locator('.ant-drawer-content', { hasText: '跟进记录（全员共享）' })
    await drawer.getByText('万科城 3 期 12 栋 1801').waitFor()
    await drawer.getByText('前滩太古里 5 号楼 2201').waitFor()
    await drawer.getByRole('button', { name: '添加协作备注' }).click()
    const note = page.getByRole('dialog', { name: /添加协作备注/ })
    await note.getByLabel('跟进内容').fill('客户只在晚上七点后接电话')
    await note.getByRole('button', { name: '保存备注' }).click()
    await note.waitFor({ state: 'hidden' })
    await drawer.getByText('客户只在晚上七点后接电话').waitFor()
    await shot(page, '14-client-log')
    await drawer.getByRole('row', { name: /万科城 3 期 12 栋 1801/ }).getByRole('button', { name: '打印看房确认书' }).click()
    const sheet = page.getByTestId('viewing-sheet')
    await sheet.waitFor()
    expect(page.url()).toMatch(/#\/print\/viewing\/\d+$/)
    const text = await sheet.innerText()
    for (const part of ['看房确认书', clientB, '陈经纪', '万科城 3 期 12 栋 1801', '客户签字', '经纪人签字']) expect(text).toContain(part)
    await shot(page, '15-print-view')

    await page.emulateMedia({ media: 'print' })
    await shot(page, '16-print-media')
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
    await page.emulateMedia({ media: 'screen' })
    fs.writeFileSync(path.join(SHOTS, 'viewing-sheet.pdf'), pdf)
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF')
    expect(pdf.length).toBeGreaterThan(10_000)
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []
    expect(pages.length).toBe(1)
    await page.context().close()
  })

  it('a manager changes a rule, a bad value shows on its field, and the change sticks after reload', async () => {
    const page = await newPage(suite.browser, 'manager-rules')
    await signIn(page, 'manager', { url: `${suite.host.url}/#/settings` })
    const wakeUp = page.getByLabel('多久无互动生成唤醒任务')
    await wakeUp.waitFor()
    expect(await wakeUp.inputValue()).toBe('7')

    await wakeUp.fill('0')
    await page.getByRole('button', { name: '保存规则' }).click()
    const error = page.locator('.ant-form-item', { has: wakeUp }).locator('.ant-form-item-explain-error')
    await error.waitFor()
    expect(await error.innerText()).toBe('不能小于 1')
    await shot(page, '17-rule-invalid')

    await wakeUp.fill('10')
    await page.getByRole('button', { name: '保存规则' }).click()
    await page.getByText('规则已保存').waitFor()
    await shot(page, '18-rule-saved')

    await page.reload()
    await page.getByLabel('多久无互动生成唤醒任务').waitFor()
    expect(await page.getByLabel('多久无互动生成唤醒任务').inputValue()).toBe('10')

    // agents read the same rules, read-only
    const agent = await newPage(suite.browser, 'agent-rules')
    await signIn(agent, 'agent3', { url: `${suite.host.url}/#/settings` })
    const row = agent.locator('.ant-descriptions-row', { hasText: '多久无互动生成唤醒任务' })
    await row.waitFor()
    expect(await row.innerText()).toContain('10 天')
    expect(await agent.getByRole('button', { name: '保存规则' }).count()).toBe(0)
    await agent.context().close()
    await page.context().close()
  })

  it('an agent claims a pool client, who then shows on their Today list', async () => {
    const page = await newPage(suite.browser, 'pool-claim')
    await signIn(page, 'agent2', { url: `${suite.host.url}/#/pool` })
    const rows = page.locator('[data-testid=pool-grid] .ag-center-cols-container .ag-row')
    await rows.first().waitFor()
    await page.getByText(/公客池共 \d+ 位客户/).waitFor()
    await shot(page, '19-pool')

    const first = rows.first()
    const name = (await first.locator('[col-id=name]').innerText()).trim()
    await first.locator('[col-id=name]').click()
    await page.getByRole('button', { name: '认领' }).first().click()
    const confirm = page.locator('.ant-modal-confirm')
    expect(await confirm.innerText()).toContain('天内跟进')
    await confirm.getByRole('button', { name: '认领' }).click()
    await page.getByText(`已认领 ${name}`).waitFor()
    await shot(page, '20-claimed')

    await page.getByRole('menuitem', { name: '跟进' }).click()
    const claimed = page.getByTestId('today-claimed-client').filter({ hasText: name })
    await claimed.waitFor()
    await shot(page, '21-today-claimed')
    await page.context().close()
  })
})
