import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, DEMO_PASSWORD, animationsSettled, newPage, shot } from './support/pages'
import { builtHostSuite } from './support/suite'
import { unitSheetBase64 } from '../helpers/unit-sheet'

/*
 * The English UI says everything in English (issue #16 item 18): each role, in English, walks
 * every page of its menu and every tab on it, the notices drawer and the main dialogs, and no
 * visible text (nor placeholder, title or aria-label) holds a Chinese character, bracket or
 * punctuation mark, except the branch's own data: the elements that show only data are
 * skipped by DATA_SELECTORS, and data inside a sentence ("Log follow-up · 何子红") is taken out
 * word by word (DATA_WORDS: the demo's names and places, read from the host).
 */

const SHOTS = '/tmp/keyuan-e2e/h16-i'
const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/

/** Elements that show the branch's data and nothing else. */
const DATA_SELECTORS = [
  // grid columns of names and places
  '.ag-cell[col-id=name]',
  '.ag-cell[col-id=owner]',
  '.ag-cell[col-id=region]',
  '.ag-cell[col-id=community]',
  '.ag-cell[col-id=team]',
  // the region tree of the client list (the branch's districts)
  '.ant-tree-title',
  '.ant-tree-node-content-wrapper',
  // questionnaires as the branch wrote them (a manager edits their names and questions)
  '.work-question-set-name',
  '.work-question-preview',
].join(', ')

/** Names, places and layouts of the demo (clients, staff, teams, districts, communities, the test's project and buildings), read from the host. */
const DATA_WORDS: string[] = []
const PROJECT = '英文测试楼盘'
let agentClient = 0
let agentClientName = ''

const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true, demoClients: 200 }, async (s) => {
  const manager = await hostLogin(s.host.url, 'manager')
  const agent1 = await hostLogin(s.host.url, 'agent1')
  const me = await hostCall<{ id: number }>(s.host.url, agent1, 'auth.whoami', {})
  type Row = { id: number; name: string; region: string | null; community: string | null; owner: { id: number; name: string } | null; blacklisted: boolean }
  // the test's project as its developer's sheet writes it (unitSheet)
  const words = new Set<string>([PROJECT, '1号楼', '2号楼', '南北', '南'])
  for (let offset = 0; offset < 400; offset += 50) {
    const page = await hostCall<{ rows: Row[] }>(s.host.url, manager, 'clients.list', { limit: 50, offset })
    for (const c of page.rows) for (const w of [c.name, c.region, c.community, c.owner?.name]) if (w) words.add(w)
    if (page.rows.length < 50) break
  }
  const staff = await hostCall<{ rows: Array<{ name: string; team: string | null; region: string | null }> }>(s.host.url, manager, 'staff.list', {})
  for (const m of staff.rows) for (const w of [m.name, m.team, m.region]) if (w) words.add(w)
  // layouts as the demo's requirements write them (3室2厅)
  for (let r = 1; r <= 6; r++) for (let h = 0; h <= 3; h++) words.add(`${r}室${h}厅`)
  // longest first: a name inside a longer name is taken out with it
  DATA_WORDS.push(...[...words].sort((a, b) => b.length - a.length))

  const mine = (await hostCall<{ rows: Row[] }>(s.host.url, agent1, 'clients.list', { limit: 50 })).rows.filter((c) => c.owner?.id === me.id && !c.blacklisted)
  agentClient = mine[0]!.id
  agentClientName = mine[0]!.name
  const projectId = (await hostCall<{ id: number }>(s.host.url, manager, 'projects.create', { name: PROJECT, district: '浦东' })).id
  await hostCall(s.host.url, manager, 'units.import', { projectId, fileBase64: await unitSheet() })
})

/** A unit list of three units in two buildings, as 导入房源 takes it (Chinese, as a developer sends it). */
function unitSheet(): Promise<string> {
  return unitSheetBase64([
    { building: '1号楼', floor: 1, number: '101', layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_000_000 },
    { building: '1号楼', floor: 1, number: '102', layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 5_100_000 },
    { building: '2号楼', floor: 2, number: '201', layout: '2室1厅', area: 78, orientation: '南', listPrice: 3_900_000 },
  ])
}

/** The visible texts of the page (text, placeholder, title, aria-label) outside DATA_SELECTORS, each with where it sits. */
function visibleTexts(page: Page): Promise<Array<{ where: string; text: string }>> {
  return page.evaluate((dataSelectors) => {
    const found: Array<{ where: string; text: string }> = []
    const where = (el: Element) => {
      const parts: string[] = []
      for (let e: Element | null = el; e && parts.length < 3; e = e.parentElement) {
        const id = e.getAttribute('data-testid') ?? e.getAttribute('col-id')
        parts.unshift(`${e.tagName.toLowerCase()}${id ? `[${id}]` : ''}${[...e.classList].slice(0, 1).map((c) => `.${c}`).join('')}`)
      }
      return parts.join(' > ')
    }
    const shown = (el: Element) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && el.closest(dataSelectors) === null
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      if (el && (n.textContent ?? '').trim() && shown(el)) found.push({ where: where(el), text: n.textContent ?? '' })
    }
    for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
      if (!shown(el)) continue
      for (const a of ['placeholder', 'title', 'aria-label']) {
        const v = el.getAttribute(a)
        if (v) found.push({ where: `${where(el)} @${a}`, text: v })
      }
    }
    return found
  }, DATA_SELECTORS)
}

/** The Chinese left in what the page shows once the branch's data is taken out. */
async function chineseOn(page: Page, step: string): Promise<string[]> {
  await page.waitForLoadState('networkidle')
  await animationsSettled(page)
  const left: string[] = []
  for (const { where, text } of await visibleTexts(page)) {
    let rest = text
    for (const w of DATA_WORDS) if (rest.includes(w)) rest = rest.split(w).join('')
    if (CJK.test(rest)) left.push(`${step} | ${where}: ${text}`)
  }
  return left
}

/** Signs in on the English sign-in form. */
async function signInEn(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.getByPlaceholder('Username').fill(username)
  await page.getByPlaceholder('Password').fill(password)
  await page.getByPlaceholder('Password').press('Enter')
  await page.getByTestId('user-menu').waitFor()
}

/** A visible button whose whole text is `text` (its icon has a name of its own). */
const button = (page: Page, text: string) => page.locator('button:visible', { hasText: new RegExp(`^\\s*${text}\\s*$`) }).first()

/** What one role's walk collects: the Chinese found, by step. */
class Walk {
  readonly found: string[] = []
  constructor(
    readonly page: Page,
    readonly who: string,
  ) {}

  async look(step: string, screenshot = false) {
    this.found.push(...(await chineseOn(this.page, `${this.who} ${step}`)))
    if (screenshot) await shot(this.page, `en-${this.who}-${step.replace(/\W+/g, '-')}`, SHOTS)
  }

  /** Every tab inside the page, one after the other. */
  async tabs(step: string) {
    const tabs = this.page.locator('.app-content .ant-tabs-tab')
    const n = await tabs.count()
    for (let k = 0; k < n; k++) {
      await tabs.nth(k).click()
      await this.look(`${step} tab ${(await tabs.nth(k).innerText()).trim()}`)
    }
  }

  /** Every page of the menu with its tabs, then the notices drawer. */
  async menu() {
    const items = this.page.locator('.app-sider .ant-menu-item')
    const n = await items.count()
    expect(n).toBeGreaterThan(2)
    for (let i = 0; i < n; i++) {
      await items.nth(i).click()
      // the hash changes at once, the page a render later (and after its chunk loads): looking
      // before that counted the previous page's tabs, then waited 30 s for tabs that had gone
      await expect.poll(() => items.nth(i).getAttribute('class'), { timeout: 30_000 }).toContain('ant-menu-item-selected')
      await this.page.locator('.app-content .page-loading').waitFor({ state: 'detached' })
      const step = new URL(this.page.url()).hash.replace('#/', '')
      await this.look(step, true)
      await this.tabs(step)
    }
    await this.page.getByTestId('open-notices').click()
    await this.page.locator('.ant-drawer-open').waitFor()
    await this.look('notices', true)
    await this.page.locator('.ant-drawer-open .ant-drawer-close').click()
    await this.page.locator('.ant-drawer-open').waitFor({ state: 'detached' })
  }

  /** Opens a dialog, looks at it, and closes it with Esc. */
  async dialog(step: string, open: () => Promise<void>) {
    await open()
    const box = this.page.locator('.ant-modal-wrap:visible').last()
    await box.waitFor()
    await this.look(step, true)
    await this.page.keyboard.press('Escape')
    await box.waitFor({ state: 'hidden' })
  }
}

/** A fresh tab that opens in English (the language switch remembers English on this PC). */
async function englishPage(who: string, password = DEMO_PASSWORD): Promise<Walk> {
  const page = await newPage(suite.browser, `english-${who}`, { shots: SHOTS, prepare: (c) => c.addInitScript(() => localStorage.setItem('keyuan.language', 'en')) })
  await page.goto(suite.host.url)
  // the sign-in form is English before anyone signs in
  expect(await chineseOn(page, `${who} sign-in`)).toEqual([])
  await signInEn(page, who, password)
  return new Walk(page, who)
}

describe('the English UI says everything in English (issue #16 item 18)', () => {
  it('the agent: every page and tab, a client’s profile with its tabs, and its dialogs', async () => {
    const walk = await englishPage('agent1')
    await walk.menu()
    const { page } = walk
    await page.evaluate((id) => (window.location.hash = `#/clients/${id}`), agentClient)
    await page.getByRole('heading', { name: agentClientName }).waitFor()
    await walk.look('profile', true)
    await walk.tabs('profile')
    await walk.dialog('edit client', () => button(page, 'Edit').click())
    await page.getByRole('tab', { name: 'Requirements' }).click()
    await walk.dialog('add requirement', () => button(page, 'Add requirement').click())
    await page.getByRole('tab', { name: 'Follow-ups' }).click()
    await walk.dialog('log follow-up', () => button(page, 'Log follow-up').click())
    await walk.dialog('book viewing', () => button(page, 'Book viewing').click())
    await walk.dialog('mark lost', () => button(page, 'Mark lost').click())
    await page.evaluate(() => (window.location.hash = '#/clients'))
    await walk.dialog('new client', () => button(page, 'New client').click())
    expect(walk.found).toEqual([])
    await page.context().close()
  }, 300_000)

  it('the manager: every page and tab, the sales board of a project with a unit open, and the board’s dialogs', async () => {
    const walk = await englishPage('manager')
    await walk.menu()
    const { page } = walk
    await page.evaluate(() => (window.location.hash = '#/board'))
    await page.locator('.app-content .ant-tabs-tab').first().click()
    await page.getByTestId('board-grid').waitFor()
    await walk.look('board with a project', true)
    await page.locator('.bc-cell', { hasText: '101' }).first().click()
    await page.locator('.ant-drawer-open').waitFor()
    await walk.look('unit drawer', true)
    await page.locator('.ant-drawer-open .ant-drawer-close').click()
    await page.locator('.ant-drawer-open').waitFor({ state: 'detached' })
    await walk.dialog('bulk price', () => button(page, 'Bulk price').click())
    await walk.dialog('new project', () => button(page, 'New project').click())
    expect(walk.found).toEqual([])
    await page.context().close()
  }, 300_000)

  it('the front desk: every page, a client’s desk card and the walk-in dialog (F4)', async () => {
    const walk = await englishPage('desk')
    await walk.menu()
    const { page } = walk
    await page.evaluate(() => (window.location.hash = '#/front-desk'))
    const search = page.getByLabel('Swipe or search a client')
    await search.fill(agentClientName)
    await search.press('Enter')
    await page.getByTestId('desk-card').waitFor()
    await walk.look('desk card', true)
    await walk.dialog('walk-in', () => page.keyboard.press('F4'))
    expect(walk.found).toEqual([])
    await page.context().close()
  }, 300_000)

  it('the administrator: every page and tab, and the new staff member dialog', async () => {
    const walk = await englishPage('admin', ADMIN_PASSWORD)
    await walk.menu()
    await walk.page.evaluate(() => (window.location.hash = '#/staff'))
    await walk.dialog('new staff', () => button(walk.page, 'New staff member').click())
    expect(walk.found).toEqual([])
    // the check sees Chinese when there is some: the same page in Chinese fails it
    await walk.page.locator('.app-header .ant-select', { hasText: 'English' }).click()
    await walk.page.locator('.ant-select-item-option', { hasText: '中文' }).click()
    await walk.page.getByRole('menuitem', { name: '员工管理' }).waitFor()
    expect((await chineseOn(walk.page, 'admin in Chinese')).length).toBeGreaterThan(5)
    await walk.page.context().close()
  }, 300_000)
})
