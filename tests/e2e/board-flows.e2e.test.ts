import ExcelJS from 'exceljs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { ensureBuilt, startBuiltHost, type BuiltHost } from './support/built-host'
import { e2eBrowser } from './support/shared-browser'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, SHOTS, saveShot, shot as wantedShot, signIn as signInAt } from './support/pages'
import { unitSheet, unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

const BUILDING = '1号楼'
const FLOORS = 3
const PER_FLOOR = 4
/** list price in yuan of unit <floor>0<n> */
const priceOf = (floor: number, n: number) => 2_000_000 + floor * 10_000 + n * 1_000
const WAIT = 45_000

let host: BuiltHost
let browser: Browser
let tmp: string
/** the project of the flows, its units imported through the API (the dialog has its own test and project) */
let projectId: number
/** an empty project for the import dialog's test */
let importProjectId: number
let manager: Page
let agent: Page
/** two of agent1's own clients (not blacklisted) */
let clientA: { id: number; code: string; name: string }
let clientB: { id: number; code: string; name: string }
let clientC: { id: number; code: string; name: string }

const call = <T>(token: string | null, method: string, input: unknown) => hostCall<T>(host.url, token, method, input)

const login = (username: string) => hostLogin(host.url, username)

/** The unit list in the template's columns; `duplicate` repeats a number on an added last row. */
function unitRows(opts: { duplicate?: boolean } = {}): UnitSheetRow[] {
  const rows: UnitSheetRow[] = []
  const layouts = ['两室一厅', '三室两厅', '四室两厅', '一室一厅']
  for (let f = 1; f <= FLOORS; f++) {
    for (let n = 1; n <= PER_FLOOR; n++) {
      rows.push({ building: BUILDING, floor: f, number: `${f}0${n}`, layout: layouts[n - 1], area: [89.5, 118.6, 143, 68.5][n - 1], orientation: n % 2 ? '南' : '南北', listPrice: priceOf(f, n), tags: n === 1 ? '边套' : '' })
    }
  }
  if (opts.duplicate) rows.push({ building: BUILDING, floor: 2, number: '203', layout: '三室两厅', area: 118.6, orientation: '南', listPrice: priceOf(2, 3) })
  return rows
}

/** The unit list written as an .xlsx file, as a clerk picks it in 导入房源. */
async function unitWorkbook(file: string, opts: { duplicate?: boolean } = {}): Promise<string> {
  fs.writeFileSync(file, await unitSheet(unitRows(opts)))
  return file
}

const signIn = (page: Page, username: string) => signInAt(page, username, { url: host.url })

beforeAll(async () => {
  ensureBuilt()
  fs.mkdirSync(SHOTS, { recursive: true })
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyuan-board-flows-'))
  host = await startBuiltHost({ adminPassword: ADMIN_PASSWORD, demo: true })
  browser = await e2eBrowser()
  const managerToken = await login('manager')
  projectId = (await call<{ id: number }>(managerToken, 'projects.create', { name: '江畔花园', district: '浦东' })).id
  await call(managerToken, 'units.import', { projectId, fileBase64: await unitSheetBase64(unitRows()) })
  importProjectId = (await call<{ id: number }>(managerToken, 'projects.create', { name: '导入测试楼盘', district: '浦东' })).id
  const agentToken = await login('agent1')
  // the agent's own new clients: the demo book's run on the real clock, and its rules pass may hand
  // one of the agent's older clients on (to the pool, to a colleague) mid-run, after which a 更名 to
  // them is refused as not the agent's (CI, 2026-12-07 12:07). A new client is protected for weeks.
  const made: Array<{ id: number; code: string; name: string }> = []
  for (const [name, phone] of [['林晓月', '19912340001'], ['宋嘉禾', '19912340002'], ['韩子墨', '19912340003']] as const) {
    made.push(await call<{ id: number; code: string; name: string }>(agentToken, 'clients.create', { kind: 'person', name, phones: [{ number: phone }], sourceChannel: 'phone' }))
  }
  ;[clientA, clientB, clientC] = [made[0]!, made[1]!, made[2]!]
})

// a failed step may leave a drawer open over the board: close it so the next test starts from the board,
// once the failure's screenshots show the pages as the failure left them (onTestFailed runs after this)
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await failureShots?.()
  failureShots = null
  for (const page of [manager, agent]) {
    if (!page || (await page.getByTestId('unit-drawer').count()) === 0) continue
    await page.keyboard.press('Escape')
    await page.getByTestId('unit-drawer').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => page.reload())
  }
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN', acceptDownloads: true, reducedMotion: 'reduce' })
  const page = await context.newPage()
  page.setDefaultTimeout(WAIT)
  return page
}

/** The running test's screenshots on failure, taken by afterEach before it closes anything. */
let failureShots: (() => Promise<void>) | null = null

/** Leaves a screenshot of each page when the running test fails. */
function shootOnFailure(name: string) {
  failureShots = async () => {
    if (manager) await saveShot(manager, `flows-FAILED-${name}-manager`).catch(() => undefined)
    if (agent) await saveShot(agent, `flows-FAILED-${name}-agent`).catch(() => undefined)
  }
}

function shot(page: Page, name: string) {
  return wantedShot(page, `flows-${name}`)
}

function cell(page: Page, number: string): Locator {
  return page.locator('.bc-cell', { has: page.locator('b', { hasText: new RegExp(`^${number}$`) }) })
}

async function expectStatus(page: Page, number: string, status: string) {
  await expect.poll(() => cell(page, number).getAttribute('data-status'), { timeout: WAIT }).toBe(status)
}

/** Clicks a cell and returns its drawer (title "1号楼 <number>"). */
/** The id of unit <number>, read from the board over the API. */
async function unitId(number: string): Promise<number> {
  const board = await call<{ units: { id: number; number: string }[] }>(await login('manager'), 'board.get', { projectId })
  return board.units.find((u) => u.number === number)!.id
}

async function openUnit(page: Page, number: string): Promise<Locator> {
  await cell(page, number).click()
  const drawer = page.getByTestId('unit-drawer')
  await drawer.locator('.ant-drawer-title', { hasText: `${BUILDING} ${number}` }).waitFor()
  return drawer
}

/** Moves the board's keyboard focus to a unit with the arrow keys (numbers are <floor>0<n>) and opens it with Enter. */
async function openByKeyboard(page: Page, number: string): Promise<Locator> {
  const grid = page.getByTestId('board-grid')
  if (!(await grid.evaluate((el) => el === document.activeElement))) await grid.focus()
  const focused = () => grid.locator('.bc-focus b').textContent()
  if ((await grid.locator('.bc-focus').count()) === 0) {
    await page.keyboard.press('ArrowRight')
    await grid.locator('.bc-focus').waitFor()
  }
  for (let moves = 0; moves < 20; moves++) {
    const at = (await focused())!
    if (at === number) break
    const [floor, n] = [Number(at.slice(0, -2)), Number(at.slice(-2))]
    const [toFloor, toN] = [Number(number.slice(0, -2)), Number(number.slice(-2))]
    // floors run top-down on the board
    await page.keyboard.press(toFloor < floor ? 'ArrowDown' : toFloor > floor ? 'ArrowUp' : toN > n ? 'ArrowRight' : 'ArrowLeft')
    await expect.poll(focused).not.toBe(at)
  }
  expect(await focused()).toBe(number)
  await page.keyboard.press('Enter')
  const drawer = page.getByTestId('unit-drawer')
  await drawer.locator('.ant-drawer-title', { hasText: `${BUILDING} ${number}` }).waitFor()
  return drawer
}

async function closeDrawer(page: Page) {
  await page.keyboard.press('Escape')
  await page.getByTestId('unit-drawer').waitFor({ state: 'detached' })
}

/** Types a query into a search select that has the focus, waits for the option and takes it with Enter. */
async function pickByKeyboard(page: Page, query: string, optionText: string) {
  await page.keyboard.type(query)
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: optionText })
  await option.first().waitFor()
  await expect.poll(() => option.first().getAttribute('aria-selected').then((s) => s !== null), { timeout: WAIT }).toBe(true)
  await page.keyboard.press('Enter')
}

describe('sales-control board: the clerk flows, 1 building x 3 floors x 4 units', () => {
  it('imports the unit list through the import dialog: template, a duplicate row rejects the whole sheet, then the good sheet', async () => {
    // its own tab and project: the flows below have their units from the API, so this test failing fails only itself
    const manager = await newPage()
    onTestFailed(async () => void (await saveShot(manager, 'flows-FAILED-import').catch(() => undefined)))
    await signIn(manager, 'manager')
    await manager.evaluate((id) => (window.location.hash = `#/board/${id}`), importProjectId)
    await manager.getByText('这个楼盘还没有房源，请先导入房源表').waitFor()

    await manager.getByRole('button', { name: '导入房源' }).click()
    const dialog = manager.getByRole('dialog', { name: '导入房源表' })
    await dialog.waitFor()

    // the template downloads as an .xlsx with the template's header row
    const [download] = await Promise.all([manager.waitForEvent('download'), dialog.getByRole('button', { name: '下载模板' }).click()])
    const templateFile = path.join(tmp, download.suggestedFilename())
    await download.saveAs(templateFile)
    expect(templateFile).toMatch(/\.xlsx$/)
    const template = new ExcelJS.Workbook()
    await template.xlsx.readFile(templateFile)
    expect(template.worksheets[0]!.getRow(1).getCell(3).value).toBe('房号')

    // a sheet with a repeated number: the per-row report, and nothing imported
    await dialog.getByTestId('import-file').setInputFiles(await unitWorkbook(path.join(tmp, 'dup.xlsx'), { duplicate: true }))
    await dialog.getByTestId('import-error').waitFor()
    expect(await dialog.getByTestId('import-error').innerText()).toContain('整张表没有导入')
    const report = dialog.locator('.ant-table-row')
    await expect.poll(() => report.count()).toBe(1)
    // the sheet's row 14 (header + 12 units + the repeat), the column by its template name, the problem in words
    const cells = (await report.first().locator('td').allInnerTexts()).map((c) => c.trim())
    expect(cells[0]).toBe(String(FLOORS * PER_FLOOR + 2))
    expect(cells[1]).toBe('房号')
    expect(cells[2]).toMatch(/与第 \d+ 行房号重复/)
    await shot(manager, '01-import-duplicate')
    const afterDup = await call<{ projects: { id: number; units: number }[] }>(await login('manager'), 'projects.list', {})
    expect(afterDup.projects.find((p) => p.id === importProjectId)!.units).toBe(0)
    expect(await manager.locator('.bc-cell').count()).toBe(0)

    // the good sheet: the dialog closes and the 12 cells appear, all 可售
    await dialog.getByTestId('import-file').setInputFiles(await unitWorkbook(path.join(tmp, 'units.xlsx')))
    await dialog.waitFor({ state: 'detached' })
    await expect.poll(() => manager.locator('.bc-cell').count(), { timeout: WAIT }).toBe(FLOORS * PER_FLOOR)
    expect(await manager.locator('.bc-cell[data-status="available"]').count()).toBe(FLOORS * PER_FLOOR)
    await shot(manager, '02-imported')
    await manager.context().close()
  })

  it('manager holds one unit with a reason and withholds another', async () => {
    shootOnFailure('hold')
    manager = await newPage()
    await signIn(manager, 'manager')
    await manager.evaluate((id) => (window.location.hash = `#/board/${id}`), projectId)
    await expect.poll(() => manager.locator('.bc-cell[data-status="available"]').count(), { timeout: WAIT }).toBe(FLOORS * PER_FLOOR)
    const drawer = await openUnit(manager, '301')
    await drawer.getByPlaceholder('原因').fill('开发商保留，等领导定')
    await drawer.getByPlaceholder('控房时长（小时）').fill('48')
    await drawer.getByRole('button', { name: '控房', exact: true }).click()
    await expectStatus(manager, '301', 'hold')
    // the 48-hour hold counts down in the drawer
    await drawer.getByText(/控房剩余 4[78] 小时/).waitFor()
    await shot(manager, '03-held')
    await closeDrawer(manager)

    const d2 = await openUnit(manager, '302')
    await d2.getByPlaceholder('原因').fill('样板间')
    await d2.getByRole('button', { name: '不售', exact: true }).click()
    await expectStatus(manager, '302', 'withheld')
    await closeDrawer(manager)
  })

  it('agent reserves 小订 for a client with a deposit, by keyboard; a held unit is refused in Chinese', async () => {
    shootOnFailure('reserve')
    agent = await newPage()
    await signIn(agent, 'agent1')
    await agent.evaluate((id) => (window.location.hash = `#/board/${id}`), projectId)
    await expectStatus(agent, '301', 'hold')

    const drawer = await reserve(agent, '101', clientA, '20000', 'XD-0001', { shot: '04-reserve-form' })
    await expectStatus(agent, '101', 'small_deposit')
    // the toast says what happened: the unit and until when it is reserved
    await toast(agent, /^101 小订至 \d\d-\d\d \d\d:\d\d$/)
    await drawer.locator('.ant-descriptions').getByText(clientA.name).waitFor()
    const facts = await drawer.locator('.ant-descriptions').innerText()
    expect(facts).toMatch(/小订剩余 4[78] 小时/)
    // the sheet's 特殊标签
    expect(facts).toContain('边套')
    await shot(agent, '05-reserved')
    await closeDrawer(agent)
    // the manager's board follows by push
    await expectStatus(manager, '101', 'small_deposit')

    // 301 is held by the manager: the agent is told why instead of getting a 小订 form
    const held = await openByKeyboard(agent, '301')
    const notice = held.getByTestId('drawer-held')
    await notice.waitFor()
    expect(await notice.innerText()).toMatch(/该房源已预留\/控房（.+），只有店长可以为它办小订/)
    expect(await held.getByLabel('客户').count()).toBe(0)
    // and the host refuses it all the same, naming who holds it
    const refused = await fetch(`${host.url}/api/units.reserve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await login('agent1')}` },
      body: JSON.stringify({ unitId: await unitId('301'), clientId: clientB.id, deposit: 1_000_000, receiptNo: 'XD-0002', method: 'cash' }),
    }).then((r) => r.json() as Promise<{ ok: boolean; error?: { reason?: string } }>)
    expect(refused).toMatchObject({ ok: false, error: { reason: 'unit_hold' } })
    await shot(agent, '06-held-refused')
    await closeDrawer(agent)
    expect(await cell(agent, '301').getAttribute('data-status')).toBe('hold')
  })

  it('agent advances 小订 → 认筹 → 认购 → 签约 by keyboard', async () => {
    shootOnFailure('advance')
    const drawer = await openByKeyboard(agent, '101')
    for (const [label, status] of [
      ['认筹', 'pledge'],
      ['认购', 'subscribe'],
      ['签约', 'sign'],
    ] as const) {
      const next = drawer.getByRole('combobox', { name: '推进到' })
      // the next step is offered first
      await drawer.locator(`.ant-select-selection-item[title="${label}"]`).waitFor()
      await next.focus()
      await agent.keyboard.press('Tab')
      await agent.keyboard.press('Tab')
      await expect.poll(() => agent.evaluate(() => document.activeElement?.textContent?.replace(/\s/g, ''))).toBe('推进')
      await agent.keyboard.press('Enter')
      await expectStatus(agent, '101', status)
      await drawer.locator('.ant-descriptions .ant-tag', { hasText: label }).waitFor()
    }
    await shot(agent, '07-signed')
    // the drawer still closes with Esc after the buttons it was used through changed, and the board has the focus back
    await closeDrawer(agent)
    await expect.poll(() => agent.getByTestId('board-grid').evaluate((el) => el === document.activeElement)).toBe(true)
    await expectStatus(manager, '101', 'sign')
  })

  it('manager records a card payment; a payment over the balance is refused under the amount field', async () => {
    shootOnFailure('payment')
    const drawer = await openUnit(manager, '101')
    await drawer.getByRole('tab', { name: '收款' }).click()
    const balance = drawer.getByText(/^未付余额/)
    await balance.waitFor()
    // list price 2,011,000 less the 20,000 deposit
    expect(await balance.innerText()).toContain('1,991,000')

    const amount = drawer.locator('#payment_amount')
    const receipt = drawer.locator('#payment_receiptNo')
    await amount.fill('500000')
    await receipt.fill('SK-0001')
    await drawer.locator('#payment_method').focus()
    await manager.keyboard.press('Enter')
    await manager.locator('.ant-select-dropdown:visible .ant-select-item-option[title="刷卡"]').click()
    await receipt.press('Enter')
    const row = drawer.locator('.ant-table-row', { hasText: 'SK-0001' })
    await row.waitFor()
    expect(await row.innerText()).toMatch(/刷卡[\s\S]*500,000/)
    await expect.poll(() => balance.innerText()).toContain('1,491,000')
    // the form is empty again for the next receipt
    expect(await receipt.inputValue()).toBe('')
    expect(await amount.inputValue()).toBe('')

    await amount.fill('1500000')
    await receipt.fill('SK-0002')
    await receipt.press('Enter')
    const fieldError = drawer.locator('.ant-form-item', { has: manager.locator('#payment_amount') }).locator('.ant-form-item-explain-error')
    await fieldError.waitFor()
    expect(await fieldError.innerText()).toBe('金额超过未付余额 1,491,000 元')
    await shot(manager, '08-over-balance')
    expect(await drawer.locator('.ant-table-row', { hasText: 'SK-0002' }).count()).toBe(0)
    await closeDrawer(manager)
  })

  it('manager sets a payment schedule with an instalment already due; 催款通知 lists it and prints the notice', async () => {
    shootOnFailure('overdue')
    const drawer = await openUnit(manager, '101')
    await drawer.getByRole('tab', { name: '收款' }).click()
    const instalments = [
      ['2024-03-01', '首付', '1000000'],
      ['2030-06-30', '尾款', '1011000'],
    ]
    for (const [i, [date, label, amount]] of instalments.entries()) {
      await drawer.getByRole('button', { name: '添加一期' }).click()
      await drawer.getByPlaceholder('到期日').nth(i).click()
      await manager.keyboard.type(date!)
      await manager.keyboard.press('Enter')
      await drawer.getByPlaceholder('款项').nth(i).fill(label!)
      await drawer.getByPlaceholder('金额（元）').nth(i).fill(amount!)
    }
    await drawer.getByRole('button', { name: '保存付款计划' }).click()
    const schedule = drawer.locator('.ant-table').nth(1)
    await schedule.locator('.ant-table-row', { hasText: '2024-03-01' }).waitFor()
    expect(await schedule.locator('.ant-table-row').count()).toBe(2)
    await shot(manager, '09-schedule')
    await closeDrawer(manager)

    await manager.getByRole('tab', { name: '催款通知' }).click()
    const row = manager.locator('.ant-table-row', { hasText: `${BUILDING}-101` })
    await row.waitFor()
    const text = await row.innerText()
    expect(text).toContain(clientA.name)
    expect(text).toContain('2024-03-01')
    expect(text).toContain('首付')
    // 1,000,000 due, 520,000 paid
    expect(text).toContain('480,000')
    await shot(manager, '10-overdue')

    // print: the A4 notice alone, with the client's name and the amount owed
    await manager.evaluate(() => {
      const w = window as unknown as { __printed: number }
      w.__printed = 0
      window.print = () => void w.__printed++
    })
    await row.getByRole('button', { name: /打印催款通知/ }).click()
    await expect.poll(() => manager.evaluate(() => (window as unknown as { __printed: number }).__printed)).toBe(1)
    const notice = manager.locator('.bc-notice')
    expect(await notice.textContent()).toContain(`尊敬的 ${clientA.name}`)
    expect(await notice.textContent()).toContain('480,000')
    expect(await notice.textContent()).toContain('江畔花园')
    await manager.emulateMedia({ media: 'print' })
    expect(await notice.isVisible()).toBe(true)
    expect(await manager.locator('.bc-page, .ant-tabs').first().isVisible()).toBe(false)
    await shot(manager, '11-notice-print')
    const pdf = await manager.pdf({ path: path.join(SHOTS, 'flows-11-notice.pdf'), format: 'A4' })
    expect(pdf.length).toBeGreaterThan(1000)
    await manager.emulateMedia({ media: 'screen' })
    await manager.evaluate(() => window.dispatchEvent(new Event('afterprint')))
    await notice.waitFor({ state: 'detached' })
  })

  it('agent asks for 退房, manager approves: the unit is free again and finance gets a refund to-do', async () => {
    shootOnFailure('cancel')
    await reserve(agent, '102', clientB, '30000', 'XD-0003')
    await expectStatus(agent, '102', 'small_deposit')
    const drawer = agent.getByTestId('unit-drawer')
    await requestChange(agent, drawer, '退房', '客户资金出问题，申请退房')
    await shot(agent, '12-cancel-requested')
    await closeDrawer(agent)

    await manager.getByRole('tab', { name: '变更审批' }).click()
    const row = manager.locator('.ant-table-row', { hasText: '客户资金出问题' })
    await row.waitFor()
    expect(await row.innerText()).toContain('退房')
    await shot(manager, '13-approvals')
    // 批准 asks first, naming what will change: the deal that goes and the unit back on sale
    await row.getByRole('button', { name: /批\s*准/ }).click()
    const confirm = manager.getByTestId('approve-confirm')
    await confirm.waitFor()
    expect(await confirm.innerText()).toContain(`退房：${BUILDING}-102（${clientB.name}，成交价 201.2 万元）→ 恢复可售`)
    await manager.locator('.ant-modal-confirm').getByRole('button', { name: /批\s*准/ }).click()
    await row.waitFor({ state: 'detached' })
    await toast(manager, new RegExp(`^已批准：${BUILDING}-102 退房`))

    await manager.getByRole('tab', { name: '财务待办' }).click()
    const todo = manager.locator('.ant-table-row', { hasText: `${BUILDING}-102` })
    await todo.waitFor()
    const todoCells = (await todo.locator('td').allInnerTexts()).map((c) => c.trim())
    // a refund of the 30,000 deposit, in yuan
    expect(todoCells.slice(0, 4)).toEqual(['退款', `${BUILDING}-102`, '30,000', '退房退款'])
    await shot(manager, '14-finance')

    // the refund is paid: 标记完成, the voucher number typed straight away, Enter closes it
    await todo.getByRole('button', { name: '标记完成' }).click()
    const done = manager.getByRole('dialog', { name: /完成财务待办/ })
    await done.waitFor()
    await expect.poll(() => done.getByLabel('凭证号').evaluate((el) => el === document.activeElement)).toBe(true)
    await manager.keyboard.press('Enter')
    await done.getByText('请输入凭证号').waitFor()
    await manager.keyboard.type('TK-2026-0102')
    await manager.keyboard.press('Enter')
    await done.waitFor({ state: 'hidden' })
    await manager.getByText(`退款 ${BUILDING}-102 已完成（凭证号 TK-2026-0102）`).waitFor()
    await todo.waitFor({ state: 'detached' })
    await manager.getByText('已完成', { exact: true }).click()
    const closed = manager.locator('.ant-table-row', { hasText: 'TK-2026-0102' })
    await closed.waitFor()
    expect(await closed.innerText()).toContain(`${BUILDING}-102`)
    await shot(manager, '14b-finance-done')
    await expectStatus(agent, '102', 'available')
    await manager.getByRole('tab', { name: '销控表' }).click()
    await expectStatus(manager, '102', 'available')
  })

  it('agent asks for 更名, manager rejects with a comment, and the agent reads it on the unit', async () => {
    shootOnFailure('reject')
    await reserve(agent, '103', clientC, '10000', 'XD-0004')
    await expectStatus(agent, '103', 'small_deposit')
    const drawer = agent.getByTestId('unit-drawer')
    await requestChange(agent, drawer, '更名', '客户要求改为配偶名下', async () => {
      await drawer.getByLabel('更名为客户').focus()
      await pickByKeyboard(agent, clientA.code, clientA.name)
      // the manager moves the deal on from another terminal while the agent types: the push redraws
      // the drawer, and what the agent typed stays (the form was once remounted on every change of the unit)
      await call(await login('manager'), 'units.advance', { unitId: await unitId('103'), to: 'pledge' })
      await drawer.locator('.ant-descriptions').getByText('认筹', { exact: true }).waitFor()
    })
    await closeDrawer(agent)

    await manager.getByRole('tab', { name: '变更审批' }).click()
    const row = manager.locator('.ant-table-row', { hasText: '客户要求改为配偶名下' })
    await row.waitFor()
    await row.getByRole('textbox').fill('缺少原购房人签字的更名申请书')
    await row.getByRole('button', { name: /驳\s*回/ }).click()
    await row.waitFor({ state: 'detached' })

    const again = await openUnit(agent, '103')
    await again.getByRole('tab', { name: '变更申请' }).click()
    const request = again.getByTestId('change-request').first()
    await request.waitFor()
    await expect.poll(() => request.innerText()).toContain('已驳回')
    expect(await request.innerText()).toContain('王店长：缺少原购房人签字的更名申请书')
    expect(await request.innerText()).toContain('更名')
    await shot(agent, '15-rejected-seen')
    // the agent answers the comment and sends the request again: it waits for approval once more
    await request.getByTestId('resubmit').click()
    const form = again.getByTestId('resubmit-form')
    await form.getByLabel('说明').fill('已补齐原购房人签字')
    await form.getByRole('button', { name: '重新提交' }).click()
    await form.waitFor({ state: 'detached' })
    await expect.poll(() => again.getByTestId('change-request').first().innerText()).toContain('待审批')
    expect(await again.getByTestId('change-request').first().innerText()).toContain('已补齐原购房人签字')
    await manager.getByRole('tab', { name: '财务待办' }).click()
    await manager.getByRole('tab', { name: '变更审批' }).click()
    await manager.locator('.ant-table-row', { hasText: '已补齐原购房人签字' }).waitFor()
    // closed with Esc, the board has the focus again and the arrows go on from 103
    await closeDrawer(agent)
    await agent.keyboard.press('ArrowRight')
    await expect.poll(() => agent.locator('.bc-focus b').textContent()).toBe('104')
    expect(await cell(agent, '103').getAttribute('data-status')).toBe('pledge')
  })

  it('agent books a viewing of a unit by typing its building and number, not an id', async () => {
    shootOnFailure('viewing-unit')
    await agent.goto(`${host.url}/#/clients/${clientA.id}`)
    await agent.getByRole('tab', { name: '跟进记录' }).click()
    await agent.getByRole('button', { name: '预约带看' }).first().click()
    const dialog = agent.getByRole('dialog', { name: /预约带看/ })
    await dialog.waitFor()
    await dialog.getByText('楼盘房源').click()
    const unit = dialog.getByLabel('房源', { exact: true })
    // focused and typed into, not clicked: what this checks is the typing. Under load (3 runs of 4 with
    // other builds beside it) a click at the search input's middle was refused for 45 s as landing on the
    // project box's 江畔花园, though the screenshot shows the two boxes side by side and a quiet run
    // measured the input clear of it (not understood; said in the hflake report)
    await unit.focus()
    await unit.fill('3-402')
    const option = agent.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `${BUILDING}-302` })
    await expect.poll(() => agent.locator('.ant-select-dropdown:visible .ant-select-item-option').allInnerTexts()).toEqual([])
    await unit.fill('')
    await unit.fill('1-304')
    await option.waitFor({ state: 'detached' })
    const wanted = agent.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `${BUILDING}-304` })
    await wanted.waitFor()
    expect(await agent.locator('.ant-select-dropdown:visible .ant-select-item-option').count()).toBe(1)
    await unit.press('Enter')
    await shot(agent, '16-viewing-by-unit')
    await dialog.getByRole('button', { name: '预约带看' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await agent.getByText(/已预约带看/).first().waitFor()
    await agent.getByRole('cell', { name: new RegExp(`${BUILDING}.*304|304.*${BUILDING}`) }).first().waitFor()
    // back to the board, where the next test starts
    await agent.evaluate((id) => (window.location.hash = `#/board/${id}`), projectId)
    await expectStatus(agent, '304', 'available')
  })

  it('a discount reads before → after, is confirmed before it applies, lands in the history; a colleague is offered no 推进 or deal change', async () => {
    shootOnFailure('discount')
    await reserve(agent, '104', clientB, '10000', 'XD-0005')
    await expectStatus(agent, '104', 'small_deposit')
    await toast(agent, /^104 小订至 /)
    const drawer = agent.getByTestId('unit-drawer')
    // list price 2,014,000; asked for 2,000,000
    const change = `成交价 201.4 万元 → 200 万元（标价 201.4 万元，优惠 0.7%）`
    await requestChange(agent, drawer, '折扣', '老客户优惠', async () => {
      await drawer.getByLabel('折后价（元）').fill('2000000')
    })
    await toast(agent, new RegExp(`^已提交：${BUILDING}-104 折扣 ${literal(change)}，待店长审批$`))
    await closeDrawer(agent)

    await manager.getByRole('tab', { name: '财务待办' }).click()
    await manager.getByRole('tab', { name: '变更审批' }).click()
    const row = manager.locator('.ant-table-row', { hasText: '老客户优惠' })
    await row.waitFor()
    expect(await row.innerText()).toContain(change)
    await row.getByRole('textbox').fill('老客户，同意')
    // cancelling the confirmation changes nothing
    await row.getByRole('button', { name: /批\s*准/ }).click()
    const dialog = manager.locator('.ant-modal-confirm')
    await dialog.locator('.ant-modal-confirm-title', { hasText: `批准 ${BUILDING}-104 的折扣？` }).waitFor()
    expect(await dialog.innerText()).toContain(change)
    expect(await dialog.innerText()).toContain('批准后立即生效')
    await shot(manager, '16-approve-confirm')
    await dialog.getByRole('button', { name: /取\s*消/ }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(await row.isVisible()).toBe(true)
    await row.getByRole('button', { name: /批\s*准/ }).click()
    await dialog.getByRole('button', { name: /批\s*准/ }).click()
    await row.waitFor({ state: 'detached' })
    await toast(manager, new RegExp(`^已批准：${BUILDING}-104 折扣 ${literal(change)}$`))

    // 审批历史: who decided, when, how and why
    await manager.getByRole('tab', { name: '审批历史' }).click()
    const history = manager.getByTestId('approval-history')
    const decided = history.locator('.ant-table-row', { hasText: '老客户，同意' })
    await decided.waitFor()
    const cells = (await decided.locator('td').allInnerTexts()).map((c) => c.trim())
    expect(cells).toEqual(expect.arrayContaining([`${BUILDING}-104`, '折扣', change, '陈经纪', '已批准', '王店长', '老客户，同意']))
    expect(cells.some((c) => /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(c))).toBe(true)
    expect(await history.locator('.ant-table-row', { hasText: `${BUILDING}-102` }).innerText()).toContain('已批准')
    await shot(manager, '17-approval-history')
    await manager.getByRole('tab', { name: '销控表' }).click()

    // 张资深 (same team) sees the deal but does not work it: told whose it is, offered no 推进 and only a list price change
    const senior = await newPage()
    await signIn(senior, 'senior')
    await senior.evaluate((id) => (window.location.hash = `#/board/${id}`), projectId)
    const theirs = await openUnit(senior, '104')
    await theirs.locator('.ant-descriptions').getByText(clientB.name).waitFor()
    const notice = theirs.getByTestId('drawer-colleague-deal')
    await notice.waitFor()
    expect(await notice.innerText()).toContain('陈经纪')
    expect(await theirs.getByRole('combobox', { name: '推进到' }).count()).toBe(0)
    await theirs.getByRole('tab', { name: '变更申请' }).click()
    // the list is opened by keyboard until it shows: under a loaded machine (the full suite) it was
    // once seen closed again before it was read (a late redraw of the drawer), which is not what this checks
    const options = senior.locator('.ant-select-dropdown:visible .ant-select-item-option')
    await expect
      .poll(
        async () => {
          if ((await options.count()) === 0) {
            await theirs.getByLabel('类型').focus()
            await senior.keyboard.press('Enter')
            await options.first().waitFor({ timeout: 2_000 }).catch(() => undefined)
          }
          return options.allInnerTexts()
        },
        { timeout: 20_000, interval: 250 },
      )
      .toEqual(['调价'])
    await shot(senior, '18-colleague-deal')
    await senior.context().close()
  })
})

/** A text as a literal inside a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Waits for a success toast whose text matches. */
async function toast(page: Page, text: RegExp) {
  await page.locator('.ant-message-notice-content').filter({ hasText: text }).first().waitFor()
}

/** Opens a unit from the board and fills 小订, all by keyboard: client by code, deposit, receipt number, Enter. */
async function reserve(page: Page, number: string, client: { code: string; name: string }, deposit: string, receiptNo: string, opts: { shot?: string } = {}) {
  const drawer = await openByKeyboard(page, number)
  await drawer.getByLabel('客户').focus()
  await pickByKeyboard(page, client.code, client.name)
  await page.keyboard.press('Tab')
  await page.keyboard.type(deposit)
  await page.keyboard.press('Tab')
  await page.keyboard.type(receiptNo)
  if (opts.shot) await shot(page, opts.shot)
  await page.keyboard.press('Enter')
  return drawer
}

/** In the open drawer's 变更申请 tab: picks the kind, fills what it needs, a comment, and submits. */
async function requestChange(page: Page, drawer: Locator, kind: string, comment: string, fill?: () => Promise<void>) {
  await drawer.getByRole('tab', { name: '变更申请' }).click()
  await drawer.getByLabel('类型').focus()
  await page.keyboard.press('Enter')
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: kind }).click()
  await fill?.()
  await drawer.getByLabel('说明').fill(comment)
  await drawer.getByRole('button', { name: /提\s*交/ }).click()
  const request = drawer.getByTestId('change-request').filter({ hasText: comment })
  // the request, or the reason it was not sent (a field left empty, the host's refusal) as the failure
  const refused = drawer.locator('.ant-alert-error, .ant-form-item-explain-error')
  await request.or(refused).first().waitFor()
  expect(await refused.allInnerTexts()).toEqual([])
  expect(await request.innerText()).toContain('待审批')
}
