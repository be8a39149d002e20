import fs from 'node:fs'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, startBuiltHost, type BuiltHost } from './support/built-host'
import { e2eBrowser } from './support/shared-browser'
import { ADMIN_PASSWORD, newPage, shot, signIn, SHOTS } from './support/pages'
const ROW_HEIGHT = 40
// a mobile prefix the demo generator never uses, so this number is free on a fresh demo host
const NEW_PHONE = '18211223344'

let browser: Browser

beforeAll(async () => {
  ensureBuilt()
  fs.mkdirSync(SHOTS, { recursive: true })
  browser = await e2eBrowser()
})

afterAll(async () => {
  await browser?.close()
})

/** A grid row by its index, once its block has arrived from the host. */
function loadedRow(grid: Locator, index: number): Locator {
  return grid.locator(`.ag-center-cols-container .ag-row[row-index="${index}"]`).filter({ has: grid.page().locator('[col-id="code"]', { hasText: /^KY\d{6}$/ }) })
}

/** Types into the header search (focused with Ctrl+K) and waits for results that are no longer pending. */
async function search(page: Page, q: string): Promise<Locator> {
  await page.keyboard.press('Control+k')
  const box = page.getByTestId('global-search')
  await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true)
  await page.keyboard.type(q)
  const hits = page.locator('.client-search-popup .ant-select-item-option:not(.ant-select-item-option-disabled) [data-testid="search-hit"]')
  await hits.first().waitFor()
  return hits
}

/** The error text under the form field that holds the input with this id. */
function fieldError(dialog: Locator, inputId: string): Locator {
  return dialog.locator('.ant-form-item', { has: dialog.page().locator(`#${inputId}`) }).locator('.ant-form-item-explain-error')
}

/** Opens 新增客户 and waits until it has settled (the name field takes the focus when it has). */
async function openCreate(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: '新增客户' }).click()
  const dialog = page.getByRole('dialog', { name: '新增客户' })
  await expect.poll(() => dialog.locator('#client_name').evaluate((el) => el === document.activeElement)).toBe(true)
  return dialog
}

async function chooseSource(page: Page, dialog: Locator, label: string) {
  await dialog.locator('.ant-select', { has: page.locator('#client_sourceChannel') }).click()
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).click()
}

describe('clients: a full-size branch of 100,000 clients', () => {
  let host: BuiltHost

  beforeAll(async () => {
    host = await startBuiltHost({ adminPassword: ADMIN_PASSWORD, demo: true, demoClients: 100_000, startTimeoutMs: 240_000 })
  }, 250_000)

  afterAll(async () => {
    await host?.stop()
  })

  it('a manager scrolls halfway down the grid, then finds clients by a 2-character name and by 4 phone digits', async () => {
    const page = await newPage(browser, 'clients-100k')
    await signIn(page, 'manager', { url: `${host.url}/#/clients` })
    const grid = page.getByTestId('clients-grid')
    await loadedRow(grid, 0).waitFor()
    expect(await page.getByTestId('clients-total').innerText()).toBe('共 100,000 位客户')
    await shot(page, 'clients-20-grid')

    // jump to row 50,000 by scrolling the grid's own viewport; only that block is fetched
    await grid.locator('.ag-body-viewport').evaluate((el, top) => {
      el.scrollTop = top
    }, 50_000 * ROW_HEIGHT)
    const deep = loadedRow(grid, 50_002)
    await deep.waitFor({ timeout: 60_000 })
    for (const i of [50_000, 50_001, 50_002, 50_003, 50_004]) {
      const row = loadedRow(grid, i)
      await row.waitFor()
      expect((await row.locator('[col-id="name"]').innerText()).trim()).not.toBe('')
    }
    await shot(page, 'clients-21-row-50000')

    // the grid offers nothing to copy: no text selection on its cells
    expect(await grid.evaluate((el) => getComputedStyle(el).userSelect)).toBe('none')

    // by name: the first two characters of a client seen down there
    const name = (await deep.locator('[col-id="name"] .client-name').innerText()).trim()
    const q = name.slice(0, 2)
    let hits = await search(page, q)
    expect(await hits.first().innerText()).toContain(q)
    expect(await page.locator('.client-search-popup').innerText()).toContain('匹配：姓名')
    await shot(page, 'clients-22-search-by-name')
    await page.keyboard.press('Enter')
    const profile = page.getByTestId('client-profile')
    await profile.waitFor()
    expect(page.url()).toMatch(/#\/clients\/\d+$/)
    expect(await profile.locator('.client-header-name').innerText()).toContain(q)
    await shot(page, 'clients-23-profile-by-name')

    // by phone: the last four digits of a masked number in the grid
    await page.getByRole('button', { name: '返回客户列表' }).click()
    const phone = (await loadedRow(grid, 50_003).locator('[col-id="phone"]').innerText()).trim()
    const digits = phone.replace(/\D/g, '').slice(-4)
    expect(digits).toMatch(/^\d{4}$/)
    hits = await search(page, digits)
    expect(await hits.first().innerText()).toContain('匹配：电话')
    const code = (await hits.first().locator('.client-search-code').innerText()).trim()
    await shot(page, 'clients-24-search-by-phone')
    await page.keyboard.press('Enter')
    await profile.waitFor()
    await expect.poll(() => profile.getByTestId('client-code').innerText()).toBe(code)
    await shot(page, 'clients-25-profile-by-phone')

    // issue #15: the search's total, and 在客户列表中查看全部 opens the list filtered by the same text
    await page.getByRole('button', { name: '返回客户列表' }).click()
    await search(page, q)
    const showAll = page.getByTestId('search-show-all')
    expect(await showAll.innerText()).toMatch(/^在客户列表中查看全部（(共 [\d,]+ 位|[\d,]+ 位以上)）$/)
    await showAll.click()
    await expect.poll(() => page.getByTestId('clients-search-filter').innerText()).toBe(`搜索：${q}`)
    expect(page.url()).toContain('#/clients?search=')
    // another filter is another list: the grid opens it at its first row, not at row 50,000
    await expect.poll(() => grid.locator('.ag-body-viewport').evaluate((el) => el.scrollTop)).toBe(0)
    await loadedRow(grid, 0).waitFor()
    // a Chinese query matches names only: every listed client's name holds it
    const listed = grid.locator('.ag-center-cols-container .ag-row [col-id="name"]')
    await expect.poll(async () => (await listed.allInnerTexts()).filter((n) => n.trim() !== ''), { timeout: 30_000 }).not.toEqual([])
    await expect.poll(async () => (await listed.allInnerTexts()).every((n) => n.includes(q)), { timeout: 30_000 }).toBe(true)
    expect(await page.getByTestId('clients-total').innerText()).toMatch(/^共 [\d,]+ 位客户$/)
    await shot(page, 'clients-26-list-by-search')
    await page.getByRole('button', { name: `清除搜索「${q}」` }).click()
    await expect.poll(() => page.getByTestId('clients-search-filter').count()).toBe(0)
    await page.context().close()
  })
})

describe('clients: recording a client and 防撞单', () => {
  let host: BuiltHost

  beforeAll(async () => {
    host = await startBuiltHost({ adminPassword: ADMIN_PASSWORD, demo: true })
  })

  afterAll(async () => {
    await host?.stop()
  })

  it('an agent records a client; another agent typing that phone sees whose it is and asks to collaborate; a bad number is refused in Chinese', async () => {
    const first = await newPage(browser, 'clients-create')
    await signIn(first, 'agent1', { url: `${host.url}/#/clients` })
    let dialog = await openCreate(first)
    await dialog.locator('#client_name').fill('钱多多')
    await dialog.locator('#client_phones_0_number').fill(NEW_PHONE)
    await chooseSource(first, dialog, '门店到访')
    await shot(first, 'clients-30-create-client')
    await dialog.getByRole('button', { name: '创建' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await first.getByText('已登记客户 钱多多').waitFor()
    const profile = first.getByTestId('client-profile')
    expect(await profile.locator('.client-header-name').innerText()).toBe('钱多多')
    expect(await profile.getByTestId('client-owner').innerText()).toContain('陈经纪')
    expect(await profile.getByTestId('client-phones').first().innerText()).toContain(NEW_PHONE)
    await shot(first, 'clients-31-created-profile')
    await first.context().close()

    const second = await newPage(browser, 'clients-duplicate')
    await signIn(second, 'agent2', { url: `${host.url}/#/clients` })
    dialog = await openCreate(second)
    await dialog.locator('#client_phones_0_number').fill(NEW_PHONE)
    const notice = dialog.getByTestId('duplicate-notice')
    await notice.waitFor()
    const text = await notice.innerText()
    for (const part of ['钱多多', '归属：陈经纪', '保护期剩']) expect(text).toContain(part)
    expect(await dialog.getByRole('button', { name: '创建' }).isDisabled()).toBe(true)
    await shot(second, 'clients-32-duplicate-warning')

    // the same number as people also write it, (+86) and dashes or full-width digits: the live check still finds it
    const phoneField = dialog.locator('#client_phones_0_number')
    for (const typed of [`(+86)${NEW_PHONE.slice(0, 3)}-${NEW_PHONE.slice(3, 7)}-${NEW_PHONE.slice(7)}`, NEW_PHONE.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))]) {
      await phoneField.fill('')
      await notice.waitFor({ state: 'detached' })
      await phoneField.fill(typed)
      await notice.waitFor()
      expect(await notice.innerText(), typed).toContain('钱多多')
    }

    // someone else's client: ask to collaborate instead of recording it twice
    await notice.getByRole('button', { name: '申请协作' }).click()
    const ask = second.getByRole('dialog', { name: /申请协作/ })
    await ask.getByLabel('申请说明').fill('客户今天来店，指定要看我的房源')
    await ask.getByRole('button', { name: '提交申请' }).click()
    await second.getByText('已向 陈经纪 提交协作申请').waitFor()

    // a number that is no phone: the host's refusal lands under the phone field, in Chinese
    await dialog.locator('#client_name').fill('孙测试')
    await dialog.locator('#client_phones_0_number').fill('1380013')
    await chooseSource(second, dialog, '电话咨询')
    await notice.waitFor({ state: 'detached' })
    await dialog.getByRole('button', { name: '创建' }).click()
    const error = fieldError(dialog, 'client_phones_0_number')
    await error.waitFor()
    expect(await error.innerText()).toContain('不是有效的电话号码')
    await shot(second, 'clients-33-bad-phone')
    await second.context().close()
  })
})
