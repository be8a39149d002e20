import path from 'node:path'
import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { unitSheetBase64 } from '../helpers/unit-sheet'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, newPage, shot as shotIn, signIn, SHOTS as ALL_SHOTS } from './support/pages'
import { builtHostSuite } from './support/suite'

const SHOTS = path.join(ALL_SHOTS, 'notices-swipes')
// 0x12345678 as the 10-digit decimal printed on the card (a keyboard-type reader types this)
const CARD = '0305419896'
const CARD_HEX = '12345678'

interface Client {
  id: number
  name: string
  owner: { id: number; name: string } | null
  blacklisted: boolean
}

let client: Client
let unitId: number
let managerToken: string
let deskToken: string
let agentToken: string

const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true }, async ({ host }) => {
  fs.mkdirSync(SHOTS, { recursive: true })
  managerToken = await hostLogin(host.url, 'manager')
  deskToken = await hostLogin(host.url, 'desk')
  agentToken = await hostLogin(host.url, 'agent1')
  // a client of agent1 (陈经纪) with a member card
  const list = await call<{ rows: Client[] }>(managerToken, 'clients.list', { limit: 300 })
  client = list.rows.find((c) => c.owner?.name === '陈经纪' && !c.blacklisted)!
  expect(client).toBeTruthy()
  await call(deskToken, 'cards.issue', { clientId: client.id, read: { text: CARD, format: 'decimal-10' } })
  // one project of two units, for a change request awaiting the manager
  const projectId = (await call<{ id: number }>(managerToken, 'projects.create', { name: '通知楼盘' })).id
  await call(managerToken, 'units.import', {
    projectId,
    fileBase64: await unitSheetBase64([
      { building: '1号楼', floor: 1, number: '101', layout: '三室两厅', area: 98.5, orientation: '南', listPrice: 3_000_000 },
      { building: '1号楼', floor: 1, number: '102', layout: '三室两厅', area: 98.5, orientation: '南', listPrice: 3_100_000 },
    ]),
  })
  unitId = (await call<{ units: Array<{ id: number; number: string }> }>(managerToken, 'board.get', { projectId })).units.find((u) => u.number === '101')!.id
})

function call<T>(token: string | null, method: string, input: unknown): Promise<T> {
  return hostCall<T>(suite.host.url, token, method, input)
}

const shot = (page: Page, name: string) => shotIn(page, name, SHOTS)

/** Unread notices of a token's account, as the host counts them. */
async function unreadOf(token: string): Promise<number> {
  return (await call<{ total: number }>(token, 'notifications.list', { unreadOnly: true, limit: 1 })).total
}

/** What a keyboard-type reader does: the digits and Enter, far faster than a person (nothing focused unless `keepFocus`). */
async function swipe(page: Page, digits: string, opts: { keepFocus?: boolean } = {}): Promise<void> {
  await page.evaluate(
    ({ digits, keepFocus }) => {
      if (!keepFocus) (document.activeElement as HTMLElement | null)?.blur()
      const press = (key: string, code: string, keyCode: number) => {
        for (const type of ['keydown', 'keyup']) {
          const target = document.activeElement ?? document.body
          target.dispatchEvent(new KeyboardEvent(type, { key, code, keyCode, which: keyCode, bubbles: true, cancelable: true, composed: true }))
        }
      }
      for (const c of digits) press(c, `Digit${c}`, 48 + Number(c))
      press('Enter', 'Enter', 13)
    },
    { digits, keepFocus: opts.keepFocus === true },
  )
}

async function waitForHash(page: Page, hash: string): Promise<void> {
  await page.waitForFunction((h) => window.location.hash === h, hash)
}

describe('notices in the header on every page (issue 16 item 11)', () => {
  it('a visit registered at the desk reaches the owner on 销控: a toast that opens the client, a bell whose count follows', async () => {
    const page = await newPage(suite.browser, 'notices-header')
    await signIn(page, 'agent1', { url: `${suite.host.url}/#/board` })
    await page.evaluate(() => (window.location.hash = '#/board'))
    const bell = page.getByTestId('open-notices')
    const before = await unreadOf(agentToken)
    await page.locator(`[data-testid="open-notices"][aria-label="${before > 0 ? `通知（${before} 条未读）` : '通知'}"]`).waitFor()

    await call(deskToken, 'frontdesk.registerVisit', { clientId: client.id })
    const toast = page.locator('.ant-notification-notice').filter({ hasText: client.name })
    await toast.waitFor()
    expect(await unreadOf(agentToken)).toBe(before + 1)
    await page.locator(`[data-testid="open-notices"][aria-label="通知（${before + 1} 条未读）"]`).waitFor()
    expect(page.url()).toContain('#/board')
    await shot(page, 'notices-01-toast-on-board')

    // the toast opens the client
    await toast.click()
    await waitForHash(page, `#/clients/${client.id}`)

    // the bell lists it; opening it from there marks it read and the count goes back
    await bell.click()
    const drawer = page.locator('.ant-drawer-content').filter({ hasText: '通知' })
    const row = drawer.locator('.work-notice-unread').filter({ hasText: client.name }).first()
    await row.waitFor()
    await shot(page, 'notices-02-drawer')
    await page.evaluate(() => (window.location.hash = '#/board'))
    await row.getByRole('button', { name: '查看客户' }).click()
    await waitForHash(page, `#/clients/${client.id}`)
    await page.locator(`[data-testid="open-notices"][aria-label="${before > 0 ? `通知（${before} 条未读）` : '通知'}"]`).waitFor()
    expect(await unreadOf(agentToken)).toBe(before)
    await page.context().close()
  })

  it('the manager sees pending approvals counted on 销控 and 变更审批; deciding clears both', async () => {
    const page = await newPage(suite.browser, 'notices-approvals')
    await signIn(page, 'manager', { url: `${suite.host.url}/#/clients` })
    await page.evaluate(() => (window.location.hash = '#/clients'))
    const menuCount = page.getByTestId('approvals-menu-count')
    expect(await menuCount.count()).toBe(0)
    // asked while the manager is on 客户: the toast and the count come without a reload
    await call(agentToken, 'changes.request', { kind: 'price', unitId, payload: { listPrice: 2_900_000 }, comment: '通知测试' })
    await page.locator('.ant-notification-notice').filter({ hasText: '变更申请待你审批' }).waitFor()
    await menuCount.waitFor()
    expect(await menuCount.innerText()).toBe('1')
    await page.evaluate(() => (window.location.hash = '#/board'))
    const tab = page.getByRole('tab', { name: /变更审批/ })
    await tab.waitFor()
    expect(await page.getByTestId('approvals-tab-count').innerText()).toBe('1')
    await shot(page, 'notices-03-approval-counts')
    await tab.click()
    await page.getByRole('button', { name: /批\s*准/ }).click()
    // 批准 asks first, naming the change (issue 16 item 16)
    const confirm = page.locator('.ant-modal-confirm')
    await confirm.waitFor()
    await confirm.getByRole('button', { name: /批\s*准/ }).click()
    await page.locator('.ant-message-notice-content').filter({ hasText: /^已批准：/ }).first().waitFor()
    await page.getByTestId('approvals-menu-count').waitFor({ state: 'detached' })
    await page.getByTestId('approvals-tab-count').waitFor({ state: 'detached' })
    await page.context().close()
  })
})

describe('the 申请协作 inbox count (issue 16 item 11)', () => {
  it('a colleague asking to work a client shows on the owner\'s 协作申请 menu at once', async () => {
    const page = await newPage(suite.browser, 'notices-collab')
    await signIn(page, 'agent1', { url: `${suite.host.url}/#/board` })
    await page.evaluate(() => (window.location.hash = '#/board'))
    const before = (await call<{ open: number }>(agentToken, 'collab.inbox', { box: 'incoming', limit: 1 })).open
    await page.getByTestId('global-search').waitFor()
    expect(await page.getByTestId('collab-menu-count').count()).toBe(before > 0 ? 1 : 0)
    const asker = await hostLogin(suite.host.url, 'agent2')
    await call(asker, 'clients.requestCollaboration', { clientId: client.id, note: '客户也来找过我' })
    await page.locator('[data-testid="collab-menu-count"]').filter({ hasText: String(before + 1) }).waitFor()
    await shot(page, 'notices-04-collab-count')
    await page.context().close()
  })
})

describe('a card swipe anywhere (issue 16 item 12)', () => {
  it('an agent swiping on 销控, or with the header search focused, opens the client', async () => {
    const page = await newPage(suite.browser, 'swipe-agent')
    await signIn(page, 'agent1', { url: `${suite.host.url}/#/board` })
    await page.evaluate(() => (window.location.hash = '#/board'))
    await page.getByTestId('global-search').waitFor()
    await swipe(page, CARD)
    await waitForHash(page, `#/clients/${client.id}`)

    await page.evaluate(() => (window.location.hash = '#/board'))
    const search = page.getByTestId('global-search')
    await search.focus()
    await swipe(page, CARD, { keepFocus: true })
    await waitForHash(page, `#/clients/${client.id}`)
    expect(await search.inputValue()).toBe('')

    // a person typing digits in the search (slower than a reader) still types there
    await search.focus()
    await page.keyboard.type('301', { delay: 80 })
    await page.waitForFunction(() => (document.querySelector('[data-testid="global-search"]') as HTMLInputElement).value === '301')
    await page.context().close()
  })

  it('the desk swiping on another page lands on 前台 with the card shown by its printed number', async () => {
    const page = await newPage(suite.browser, 'swipe-desk')
    await signIn(page, 'desk', { url: `${suite.host.url}/#/clients` })
    await page.evaluate(() => (window.location.hash = '#/clients'))
    await page.getByTestId('global-search').waitFor()
    await swipe(page, CARD)
    await waitForHash(page, '#/front-desk')
    const name = page.getByTestId('desk-name')
    await name.waitFor()
    expect(await name.innerText()).toBe(client.name)
    const text = await page.locator('.app-content').innerText()
    expect(text).toContain(`会员卡 ${CARD}`)
    expect(text).not.toContain(CARD_HEX)
    await shot(page, 'swipe-01-desk-card')
    await page.context().close()
  })
})
