import fs from 'node:fs'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ensureBuilt, startBuiltHost } from './support/built-host'
import { e2eBrowser } from './support/shared-browser'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, animationsSettled, newPage, openDialog, shot, signIn, SHOTS } from './support/pages'
import type { E2eSuite } from './support/suite'

// issue #15: the screens of the long jobs (a departure of more than 500 clients, 立即运行规则),
// clicked through by keyboard and looked at in zh-CN and in English.

// 20,000 demo clients: each of the four demo agents owns thousands, so a departure runs as a job
// (more than the 500 staff.depart moves within its call) long enough to be seen moving
const DEMO_CLIENTS = 20_000
const INLINE_DEPARTURE = 500

const suite = {} as E2eSuite

// the first start of 20,000 demo clients and its catch-up rules pass take a while on a loaded
// machine; the tests start once that pass is over, so it pools no client of the departing agents
beforeAll(async () => {
  ensureBuilt()
  fs.mkdirSync(SHOTS, { recursive: true })
  suite.host = await startBuiltHost({ adminPassword: ADMIN_PASSWORD, demo: true, demoClients: DEMO_CLIENTS, startTimeoutMs: 240_000 })
  suite.browser = await e2eBrowser()
  const token = await hostLogin(suite.host.url, 'manager')
  await vi.waitFor(
    async () => {
      const running = await hostCall<{ rows: unknown[] }>(suite.host.url, token, 'jobs.list', { status: 'running' })
      if (running.rows.length > 0) throw new Error('a job is still running')
    },
    { timeout: 240_000, interval: 500 },
  )
}, 500_000)

afterAll(async () => {
  await suite.browser?.close()
  await suite.host?.stop()
})

/** The demo staff ids by name, and how many clients each owns, asked of the API as the manager. */
async function book(): Promise<{ owned(name: string): Promise<number> }> {
  const token = await hostLogin(suite.host.url, 'manager')
  const staff = await hostCall<{ rows: Array<{ id: number; name: string }> }>(suite.host.url, token, 'staff.list', { limit: 100 })
  const ids = new Map(staff.rows.map((s) => [s.name, s.id]))
  return {
    owned: async (name) =>
      (await hostCall<{ total: number }>(suite.host.url, token, 'clients.list', { view: 'all', filter: { ownerId: [ids.get(name)!] }, limit: 1, exactTotal: true })).total,
  }
}

/** Whether the focused element lies inside `dialog`, and what it is. */
function focusIn(dialog: Locator) {
  return dialog.evaluate((el) => {
    const a = document.activeElement
    return a !== null && el.contains(a) ? `${a.tagName.toLowerCase()}${a.getAttribute('type') ? `[${a.getAttribute('type')}]` : ''}${a.getAttribute('value') ? `=${a.getAttribute('value')}` : ''}` : null
  })
}

/** Opens the staff page and the 离职交接 dialog for the staff member named `name`. */
async function openDeparture(page: Page, name: string, buttonName: string): Promise<Locator> {
  const button = page.getByRole('button', { name: buttonName })
  // the staff grid may redraw while the host is busy (the first pass over 20,000 clients): a click
  // that landed before the redraw selects nothing, so the row is clicked until the action is offered
  try {
    await expect
      .poll(
        async () => {
          await page.locator('.ag-row', { hasText: name }).first().click()
          return button.isEnabled()
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true)
  } catch (e) {
    // what the page showed when the action never came: the rows, which is selected, the buttons
    await shot(page, `long-jobs-departure-not-offered-${name}`)
    const rows = await page.locator('.ag-center-cols-container .ag-row').evaluateAll((els) => els.map((r) => `${r.getAttribute('aria-selected') ?? '-'} ${r.textContent ?? ''}`))
    const buttons = await page.locator('.staff-toolbar button').evaluateAll((els) => els.map((b) => `${(b as HTMLButtonElement).disabled ? 'disabled' : 'enabled'} ${b.textContent ?? ''}`))
    console.error(`[long-jobs] ${buttonName} not offered for ${name}\nrows:\n${rows.join('\n')}\nbuttons:\n${buttons.join('\n')}`)
    throw e
  }
  return openDialog(page, () => button.click())
}

/** In a multiple select of the open dialog, picks each of `labels` by typing it and pressing Enter. */
async function pickByKeyboard(page: Page, select: Locator, labels: string[]) {
  await select.click()
  for (const label of labels) {
    await page.keyboard.type(label)
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active', { hasText: label }).waitFor()
    await page.keyboard.press('Enter')
  }
}

/**
 * The client grid's total on a page opened again within the minute: an estimate of two significant
 * figures ("约 6,700 位客户"), and on a click or Enter the exact count it rounds. Leaves a screenshot of the estimate.
 */
async function aboutThenExact(page: Page, about: string, unit: string, exactPrefix: string, name: string, by: 'click' | 'Enter') {
  const total = page.getByTestId('clients-total')
  const figure = (text: string, prefix: string) => {
    const m = new RegExp(`^${prefix}([\\d,]+)${unit}$`).exec(text)
    return m ? Number(m[1]!.replace(/,/g, '')) : null
  }
  // the first look counts (and the host remembers the count for a minute); the next one estimates
  await total.waitFor()
  await page.reload()
  await expect.poll(async () => figure(await total.innerText(), about)).not.toBeNull()
  const estimate = figure(await total.innerText(), about)!
  await animationsSettled(page)
  await shot(page, name)
  if (by === 'click') await total.click()
  else await total.press('Enter')
  await expect.poll(async () => figure(await total.innerText(), exactPrefix)).not.toBeNull()
  const exact = figure(await total.innerText(), exactPrefix)!
  const step = 10 ** (Math.floor(Math.log10(exact)) - 1)
  expect(estimate).toBe(Math.round(exact / step) * step)
  expect(await total.innerText()).toBe(`${exactPrefix}${exact.toLocaleString('en-US')}${unit}`)
}

describe('long jobs: 离职交接 and 立即运行规则 as a manager sees them', () => {
  it('a departure of thousands of clients shows its progress, says so when the host restarts, ends, and the clients are with the colleagues', async () => {
    const { owned } = await book()
    const leaving = await owned('赵经纪')
    expect(leaving).toBeGreaterThan(INLINE_DEPARTURE)

    const page = await newPage(suite.browser, 'long-jobs-depart')
    await signIn(page, 'manager', { url: `${suite.host.url}/#/staff` })
    await page.locator('.ag-row', { hasText: '赵经纪' }).first().waitFor()

    // opens with the focus on its first field (客户去向), and Esc closes it
    let dialog = await openDeparture(page, '赵经纪', '离职交接')
    expect(await focusIn(dialog)).toBe('input[radio]=colleagues')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })

    dialog = await openDeparture(page, '赵经纪', '离职交接')
    await pickByKeyboard(page, dialog.locator('.ant-select'), ['陈经纪', '刘经纪'])
    // Esc closes the open list, not the dialog
    await page.keyboard.press('Escape')
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' })
    expect(await dialog.isVisible()).toBe(true)
    const reason = dialog.getByLabel('原因')
    await reason.click()
    expect(await dialog.locator('.ant-select-selection-item').allInnerTexts()).toEqual(['陈经纪 · 一组 · 经纪人', '刘经纪 · 二组 · 经纪人'])
    await animationsSettled(page)
    await shot(page, 'long-jobs-01-depart-form')

    // Enter confirms; the account closes at once and the clients move as a job
    await reason.press('Enter')
    const text = dialog.getByTestId('job-progress-text')
    await expect.poll(() => text.innerText()).toMatch(/位客户$/)
    expect(await dialog.getByTestId('depart-moving').innerText()).toContain('赵经纪 的账号已停用并登出')
    // the host goes away mid-move: the dialog says so instead of a bar that silently stops
    await suite.host.stopProcess()
    const warning = dialog.getByTestId('job-warning')
    await warning.waitFor()
    expect(await warning.innerText()).toContain('连接不上主机')
    const progress = await text.innerText()
    const m = /^已转移 ([\d,]+) \/ ([\d,]+) 位客户$/.exec(progress)
    expect(m, progress).not.toBeNull()
    expect(Number(m![2]!.replace(/,/g, ''))).toBe(leaving)
    expect(m![2]).toBe(leaving.toLocaleString('en-US'))
    // (no animationsSettled: the reconnect banner keeps animating while the host is away)
    await shot(page, 'long-jobs-02-depart-host-gone')

    // back: the job goes on where it stopped, the dialog follows it to the end and closes
    await suite.host.restart()
    await dialog.waitFor({ state: 'hidden', timeout: 120_000 })
    const done = page.getByText(/^赵经纪 已离职：/)
    await done.waitFor()
    expect(await done.innerText()).toBe(`赵经纪 已离职：${leaving.toLocaleString('en-US')} 位客户转给同事`)
    await shot(page, 'long-jobs-03-depart-done')

    // in the client list, the departed agent's clients are with the two colleagues: the grid's exact
    // total for them is the host's (the once-a-minute rules pass may pool a few of theirs meanwhile)
    expect(await owned('赵经纪')).toBe(0)
    await page.getByRole('menuitem', { name: /客户$/ }).click()
    const owner = page.locator('.ant-select', { has: page.getByLabel('归属经纪人') })
    await owner.waitFor()
    await pickByKeyboard(page, owner, ['陈经纪', '刘经纪'])
    await page.keyboard.press('Escape')
    const total = page.getByTestId('clients-total')
    const exact = async () => `共 ${((await owned('陈经纪')) + (await owned('刘经纪'))).toLocaleString('en-US')} 位客户`
    await expect.poll(async () => (await total.innerText()) === (await exact()), { timeout: 30_000 }).toBe(true)
    expect(Number((await total.innerText()).replace(/\D/g, ''))).toBeGreaterThan(leaving)
    await aboutThenExact(page, '约 ', ' 位客户', '共 ', 'long-jobs-04-grid-total-about', 'Enter')
    await page.context().close()
  })

  it('立即运行规则 opens a dialog, runs on Enter, shows the pass going over the book and what it did; Esc closes', async () => {
    const page = await newPage(suite.browser, 'long-jobs-rules')
    await signIn(page, 'manager', { url: `${suite.host.url}/#/settings` })
    const runNow = page.getByRole('button', { name: '立即运行规则' })

    let dialog = await openDialog(page, () => runNow.click())
    expect(await focusIn(dialog)).toBe('button[button]')
    expect(await dialog.locator(':focus').innerText()).toBe('开始运行')
    await shot(page, 'long-jobs-05-rules-ask')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })

    dialog = await openDialog(page, () => runNow.click())
    await page.keyboard.press('Enter')
    const text = dialog.getByTestId('job-progress-text')
    await expect.poll(() => text.innerText()).toMatch(/^已检查 [\d,]+ \/ [\d,]+ 位客户$/)
    await dialog.getByTestId('rules-pass-result').waitFor({ timeout: 120_000 })
    expect(await text.innerText()).toMatch(/^已检查 ([\d,]+) \/ \1 位客户$/)
    const result = await dialog.getByTestId('rules-pass-result').innerText()
    for (const label of ['新建跟进任务', '关闭的任务', '退回公客池的客户', '升级店长', '到期结束的小订和保留']) expect(result).toContain(label)
    await animationsSettled(page)
    await shot(page, 'long-jobs-06-rules-done')
    expect(await dialog.locator(':focus').innerText()).toBe('关闭')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await page.context().close()
  })

  it('in English: the departure to the pool, the rules pass, the grid total and the search dropdown', async () => {
    const { owned } = await book()
    const leaving = await owned('刘经纪')
    const page = await newPage(suite.browser, 'long-jobs-en')
    await signIn(page, 'manager', { url: `${suite.host.url}/#/staff` })
    // English, as the language switch leaves it on this PC; the session stays across the reload
    await page.evaluate(() => localStorage.setItem('keyuan.language', 'en'))
    await page.reload()
    await page.locator('.ag-row', { hasText: '刘经纪' }).first().waitFor()

    const dialog = await openDeparture(page, '刘经纪', 'Departure')
    await dialog.getByText('The public pool').click()
    await animationsSettled(page)
    await shot(page, 'long-jobs-10-en-depart-form')
    await dialog.getByRole('button', { name: 'Confirm departure' }).click()
    const text = dialog.getByTestId('job-progress-text')
    await expect.poll(() => text.innerText()).toMatch(/ clients moved$/)
    await suite.host.stopProcess()
    await dialog.getByTestId('job-warning').waitFor()
    expect(await text.innerText()).toMatch(new RegExp(`^[\\d,]+ of ${leaving.toLocaleString('en-US')} clients moved$`))
    expect(await dialog.getByTestId('job-warning').innerText()).toContain('The host cannot be reached')
    await shot(page, 'long-jobs-11-en-depart-host-gone')
    await suite.host.restart()
    await dialog.waitFor({ state: 'hidden', timeout: 120_000 })
    const done = page.getByText(/^刘经纪 has left:/)
    await done.waitFor()
    expect(await done.innerText()).toBe(`刘经纪 has left: ${leaving.toLocaleString('en-US')} clients to the pool`)
    await shot(page, 'long-jobs-12-en-depart-done')

    await page.goto(`${suite.host.url}/#/settings`)
    const rules = await openDialog(page, () => page.getByRole('button', { name: 'Run rules now' }).click())
    await page.keyboard.press('Enter')
    await rules.getByTestId('rules-pass-result').waitFor({ timeout: 120_000 })
    expect(await rules.getByTestId('job-progress-text').innerText()).toMatch(/^([\d,]+) of \1 clients checked$/)
    await animationsSettled(page)
    await shot(page, 'long-jobs-13-en-rules-done')
    await page.keyboard.press('Escape')
    await rules.waitFor({ state: 'hidden' })

    await page.goto(`${suite.host.url}/#/clients`)
    await aboutThenExact(page, 'about ', ' clients', '', 'long-jobs-14-en-grid-total-about', 'click')

    await page.keyboard.press('Control+k')
    await page.keyboard.type('王')
    const showAll = page.getByTestId('search-show-all')
    await showAll.waitFor()
    expect(await showAll.innerText()).toMatch(/^Show all in the client list \((over )?[\d,]+\)$/)
    await animationsSettled(page)
    await shot(page, 'long-jobs-15-en-search-show-all')
    await page.context().close()
  })

  it('in zh-CN: the search dropdown offers the whole list with its total', async () => {
    const page = await newPage(suite.browser, 'long-jobs-search')
    await signIn(page, 'manager', { url: `${suite.host.url}/#/clients` })
    await page.getByTestId('clients-total').waitFor()
    await page.keyboard.press('Control+k')
    await page.keyboard.type('王')
    const showAll = page.getByTestId('search-show-all')
    await showAll.waitFor()
    expect(await showAll.innerText()).toMatch(/^在客户列表中查看全部（(共 [\d,]+ 位|[\d,]+ 位以上)）$/)
    await animationsSettled(page)
    await shot(page, 'long-jobs-07-search-show-all')
    await page.context().close()
  })
})
