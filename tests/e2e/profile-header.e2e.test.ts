import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, animationsSettled, newPage, shot, signIn, SHOTS } from './support/pages'
import { builtHostSuite } from './support/suite'

// issue 16 item 15: the profile's main actions (记录跟进, 预约带看, 拨号) stay in its header whatever
// tab is open and however far the page scrolls, by keyboard too; item 12: the header search finds a
// client by a short code (KY301, ky301, 301) and by the decimal number printed on the member card
const DIR = `${SHOTS}/h16-j`
const client = { id: 0, code: '', phone: '13344556601' }
const twoPhones = { id: 0, office: '02161234567' }

const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true }, async (s) => {
  const token = await hostLogin(s.host.url, 'agent1')
  const c = await hostCall<{ id: number; code: string }>(s.host.url, token, 'clients.create', {
    kind: 'person',
    name: '粘顶演示客户',
    phones: [{ number: client.phone }],
    sourceChannel: 'phone',
  })
  Object.assign(client, c)
  twoPhones.id = (
    await hostCall<{ id: number }>(s.host.url, token, 'clients.create', {
      kind: 'person',
      name: '两个号码客户',
      phones: [{ number: '13344556602' }, { number: twoPhones.office, label: '办公室' }],
      sourceChannel: 'phone',
    })
  ).id
  // a long log, so the follow-ups tab scrolls well past the header
  for (let i = 1; i <= 10; i++) await hostCall(s.host.url, token, 'followups.create', { clientId: c.id, channel: 'phone', content: `第${i}次电话沟通：询问学区、价格和看房时间` })
  // the card printed 0305441741 (its UID is 1234ABCD)
  await hostCall(s.host.url, await hostLogin(s.host.url, 'desk'), 'cards.issue', { clientId: c.id, read: { uid: '1234ABCD' } })
})

/** Whether the element is wholly inside the page's viewport. */
async function inView(page: Page, testId: string): Promise<boolean> {
  const box = await page.getByTestId(testId).boundingBox()
  const size = page.viewportSize()
  return box !== null && size !== null && box.y >= 0 && box.y + box.height <= size.height
}

/** The search hits on screen (a closed list keeps its old ones, hidden). */
const hits = (page: Page) => page.locator('[data-testid="search-hit"]:visible')

/** Types into the emptied header search; the hit naming `name` and matched on `on` (no hit of the text before). */
async function searchFor(page: Page, q: string, name: string, on: string) {
  await page.keyboard.press('Control+k')
  await page.getByTestId('global-search').fill('')
  await expect.poll(() => hits(page).count()).toBe(0)
  await page.getByTestId('global-search').fill(q)
  return hits(page).filter({ hasText: name }).filter({ hasText: `匹配：${on}` }).first()
}

describe('the profile header and the header search, in Chromium', () => {
  it('记录跟进, 预约带看 and 拨号 stay in the header on every tab and scrolled to the end; Alt+L / Alt+V / Alt+C press them', async () => {
    const page = await newPage(suite.browser, 'profile-header', {
      shots: DIR,
      prepare: (context) => context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.host.url }),
    })
    await signIn(page, 'agent1', { url: `${suite.host.url}/#/clients/${client.id}` })
    const bar = page.getByTestId('client-header-bar')
    await bar.getByText('粘顶演示客户').waitFor()
    const log = bar.getByRole('button', { name: '记录跟进' })
    const book = bar.getByRole('button', { name: '预约带看' })
    const call = bar.getByRole('button', { name: '拨号' })
    expect(await log.getAttribute('title')).toContain('Alt+L')
    expect(await book.getAttribute('title')).toContain('Alt+V')
    expect(await call.getAttribute('title')).toContain('Alt+C')
    await shot(page, '15-10-profile-top', DIR)

    for (const tab of ['客户资料', '购房需求', '跟进记录', '推荐房源']) {
      await page.getByRole('tab', { name: tab }).click()
      await page.getByRole('tabpanel', { name: tab }).waitFor()
      // scrolled to the very end of the page (a short tab does not scroll at all)
      const content = page.locator('.app-content')
      await content.evaluate((el) => el.scrollTo(0, el.scrollHeight))
      // a tab whose rows arrive after the first scroll grows under it: scrolled again until it has moved
      if (await content.evaluate((el) => el.scrollHeight > el.clientHeight + 40)) {
        await expect
          .poll(() => content.evaluate((el) => (el.scrollTo(0, el.scrollHeight), el.scrollTop)), { message: tab, timeout: 10_000 })
          .toBeGreaterThan(0)
      }
      expect(await inView(page, 'client-header-bar'), tab).toBe(true)
      expect(await log.isVisible(), tab).toBe(true)
    }
    // the follow-ups tab, scrolled to its end: the bar sits at the top over the log
    await page.getByRole('tab', { name: '跟进记录' }).click()
    await page.getByText('第1次电话沟通', { exact: false }).first().waitFor()
    await page.locator('.app-content').evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await animationsSettled(page)
    await shot(page, '15-20-scrolled-follow-ups', DIR)
    // the tab itself no longer repeats the two buttons
    expect(await page.getByTestId('client-follow-ups').getByRole('button', { name: '记录跟进' }).count()).toBe(0)

    // Alt+L: the follow-up dialog, focus on its content; saved, the log shows it without a reload
    await page.keyboard.press('Alt+l')
    const followUp = page.getByRole('dialog', { name: /记录跟进/ })
    await followUp.waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA')
    await page.keyboard.type('键盘记录：客户周六看房')
    await page.keyboard.press('Control+Enter')
    await followUp.waitFor({ state: 'hidden' })
    await page.getByTestId('client-follow-ups').getByText('键盘记录：客户周六看房').waitFor()

    // Alt+V: booking; by unit it is the unit picker (search by building and number), never an id
    await page.keyboard.press('Alt+v')
    const viewing = page.getByRole('dialog', { name: /预约带看/ })
    await viewing.waitFor()
    await viewing.getByText('楼盘房源').click()
    expect(await viewing.getByLabel('房源', { exact: true }).getAttribute('role')).toBe('combobox')
    expect(await viewing.getByRole('spinbutton').count()).toBe(0)
    await animationsSettled(page)
    await shot(page, '15-30-book-by-unit', DIR)
    await viewing.getByRole('button', { name: '取消' }).click()
    await viewing.waitFor({ state: 'hidden' })

    // Alt+C: the owner's number is copied to dial, and shown
    await page.keyboard.press('Alt+c')
    await page.getByText(/已复制 .*请在电话上拨打/).first().waitFor()
    expect((await page.evaluate(() => navigator.clipboard.readText())).replace(/\D/g, '')).toBe(client.phone)
    await shot(page, '15-40-call-copied', DIR)

    // two numbers: 拨号 lists them (Alt+C opens the list), the one picked is copied
    await page.goto(`${suite.host.url}/#/clients/${twoPhones.id}`)
    await page.getByTestId('client-header-bar').getByText('两个号码客户').waitFor()
    await page.keyboard.press('Alt+c')
    const office = page.locator('.ant-dropdown:visible .ant-dropdown-menu-item', { hasText: '办公室' })
    await office.waitFor()
    await animationsSettled(page)
    await shot(page, '15-45-call-two-numbers', DIR)
    await office.click()
    await page.getByText(/已复制 .*请在电话上拨打/).first().waitFor()
    await expect.poll(async () => (await page.evaluate(() => navigator.clipboard.readText())).replace(/\D/g, '')).toBe(twoPhones.office)
    await page.context().close()
  })

  it('a manager sees the number masked: 拨号 asks for the audited reveal first, never copies a masked number', async () => {
    const page = await newPage(suite.browser, 'profile-header-manager', { shots: DIR })
    await signIn(page, 'manager', { url: `${suite.host.url}/#/clients/${client.id}` })
    const call = page.getByTestId('client-header-bar').getByRole('button', { name: '拨号' })
    await call.waitFor()
    expect(await call.getAttribute('title')).toContain('先显示完整号码')
    await page.keyboard.press('Alt+c')
    const reveal = page.getByRole('dialog', { name: /显示 .* 的完整号码/ })
    await reveal.waitFor()
    await animationsSettled(page)
    await shot(page, '15-50-manager-call-reveals', DIR)
    await page.keyboard.press('Escape')
    await reveal.waitFor({ state: 'hidden' })
    await page.context().close()
  })

  it('the header search finds the client by KY301-style short codes and by the card number printed on it', async () => {
    const page = await newPage(suite.browser, 'header-search-short', { shots: DIR })
    // on the client list: the desk's own start page (前台) has a search box of its own, whose hits read
    // 匹配客户编号 (a clean-clone run landed there and typed into it)
    await signIn(page, 'desk', { url: `${suite.host.url}/#/clients` })
    const n = String(Number(client.code.slice(2)))
    for (const q of [`KY${n}`, `ky${n}`]) {
      const hit = await searchFor(page, q, '粘顶演示客户', '编号')
      await hit.waitFor()
      // an exact code is the first hit
      expect(await hits(page).first().innerText(), q).toContain('粘顶演示客户')
    }
    const bare = await searchFor(page, n, '粘顶演示客户', '编号')
    await bare.waitFor()
    expect(await hits(page).first().innerText()).toContain(client.code)
    await animationsSettled(page)
    await shot(page, '12-10-search-short-code', DIR)

    const card = await searchFor(page, '0305441741', '粘顶演示客户', '会员卡')
    await card.waitFor()
    expect(await hits(page).count()).toBe(1)
    await animationsSettled(page)
    await shot(page, '12-20-search-printed-card', DIR)
    await page.keyboard.press('Enter')
    await page.getByTestId('client-header-bar').getByText('粘顶演示客户').waitFor()
    expect(page.url()).toContain(`#/clients/${client.id}`)
    await page.context().close()
  })
})
