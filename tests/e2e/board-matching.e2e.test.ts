import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, startBuiltHost, type BuiltHost } from './support/built-host'
import { e2eBrowser } from './support/shared-browser'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, animationsSettled, newPage as openTab, SHOTS, shot as wantedShot, signIn as signInAt } from './support/pages'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'


let host: BuiltHost
let browser: Browser
let projectId: number
let buyerId: number
let newcomerId: number

const call = <T>(token: string | null, method: string, input: unknown) => hostCall<T>(host.url, token, method, input)

const login = (username: string) => hostLogin(host.url, username)

/** One building, 6 floors x 4 units: 89 ㎡ three-bedroom units at 2.3–2.8 million, and 143 ㎡ ones far above. */
async function unitWorkbook(): Promise<string> {
  const rows: UnitSheetRow[] = []
  for (let f = 1; f <= 6; f++) {
    for (let n = 1; n <= 4; n++) {
      const big = n === 4
      rows.push({ building: '3号楼', floor: f, number: `${f}0${n}`, layout: big ? '四室两厅' : '三室两厅', area: big ? 143 : 89.2, orientation: '南北', listPrice: (big ? 5_600_000 : 2_300_000) + f * 80_000 + n * 10_000 })
    }
  }
  return unitSheetBase64(rows)
}

const newPage = (name: string) => openTab(browser, name, { viewport: { width: 1440, height: 900 } })
const signIn = (page: Page, username: string) => signInAt(page, username, { url: host.url })

beforeAll(async () => {
  ensureBuilt()
  fs.mkdirSync(SHOTS, { recursive: true })
  host = await startBuiltHost({ adminPassword: ADMIN_PASSWORD, demo: true })
  browser = await e2eBrowser()
  const manager = await login('manager')
  projectId = (await call<{ id: number }>(manager, 'projects.create', { name: '临平江语', district: '临平' })).id
  expect((await call<{ imported: number }>(manager, 'units.import', { projectId, fileBase64: await unitWorkbook() })).imported).toBe(24)
  // agent1's buyer wants ~90 ㎡, three bedrooms, up to 2.6 million, in 临平; the newcomer has no needs yet
  const agent = await login('agent1')
  buyerId = (await call<{ id: number }>(agent, 'clients.create', { kind: 'person', name: '匹配测试甲', phones: [{ number: '13877770001' }], sourceChannel: 'walk_in' })).id
  await call(agent, 'needs.create', { clientId: buyerId, kind: 'residential', regions: ['临平'], areaMin: 8500, areaMax: 9500, totalPriceMax: 2_600_000_00, bedroomsMin: 3 })
  newcomerId = (await call<{ id: number }>(agent, 'clients.create', { kind: 'person', name: '匹配测试乙', phones: [{ number: '13877770002' }], sourceChannel: 'walk_in' })).id
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
})

/** A screenshot once antd's tab and fade animations have ended. */
async function shot(page: Page, name: string) {
  await animationsSettled(page)
  await wantedShot(page, name)
}

describe('matching on the board and on the client profile', () => {
  it("a unit's 匹配客户 tab lists the buyer and opens the profile, whose 推荐房源 tab opens the board", async () => {
    const page = await newPage('matching')
    await signIn(page, 'agent1')
    const board = await call<{ units: { id: number; number: string }[] }>(await login('agent1'), 'board.get', { projectId })
    const unit = board.units.find((u) => u.number === '201')!

    await page.evaluate((h) => (window.location.hash = h), `#/board/${projectId}`)
    await page.locator(`.bc-cell[data-unit="${unit.id}"]`).click()
    const drawer = page.getByTestId('unit-drawer')
    await drawer.waitFor()
    await drawer.getByRole('tab', { name: '匹配客户' }).click()
    const matches = page.getByTestId('unit-matches')
    await matches.getByRole('link', { name: '匹配测试甲' }).waitFor()
    const token = await login('agent1')
    const buyer = await call<{ code: string }>(token, 'clients.get', { id: buyerId })
    const me = await call<{ name: string }>(token, 'auth.whoami', {})
    // code, name, owner and tier, as the API says them
    expect((await matches.locator('tr', { hasText: '匹配测试甲' }).innerText()).split('\t').map((c) => c.trim())).toEqual([buyer.code, '匹配测试甲', me.name, '潜在'])
    await shot(page, 'matching-01-unit-drawer')

    // a 143 ㎡ unit fits nobody's needs: the tab says so
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
    await page.locator(`.bc-cell[data-unit="${board.units.find((u) => u.number === '604')!.id}"]`).click()
    await drawer.getByRole('tab', { name: '匹配客户' }).click()
    await page.getByTestId('unit-matches-empty').waitFor()
    expect(await page.getByTestId('unit-matches-empty').innerText()).toContain('没有客户的购房需求与这套房源相符')
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })

    // back to 201: the buyer's name opens the profile
    await page.locator(`.bc-cell[data-unit="${unit.id}"]`).click()
    await drawer.getByRole('tab', { name: '匹配客户' }).click()
    await page.getByTestId('unit-matches').getByRole('link', { name: '匹配测试甲' }).click()
    await page.getByTestId('client-profile').waitFor()
    expect(await page.evaluate(() => window.location.hash)).toBe(`#/clients/${buyerId}`)

    await page.getByRole('tab', { name: '推荐房源' }).click()
    const recommended = page.getByTestId('recommended-units')
    await recommended.locator('tbody tr.ant-table-row').first().waitFor()
    const rows = await recommended.locator('tbody tr.ant-table-row').allInnerTexts()
    // 89.2 ㎡ three-bedroom units up to 2.6 million: x01–x03 of floors 1–3, cheapest first
    expect(rows.map((r) => r.split('\t')[2])).toEqual(['101', '102', '103', '201', '202', '203', '301', '302', '303'])
    expect(rows[0]).toContain('临平江语')
    expect(rows[0]).toContain('3号楼')
    expect(rows[0]).toContain('三室两厅')
    expect(rows[0]).toContain('89.2')
    expect(rows[0]).toContain('239')
    await shot(page, 'matching-02-client-recommended')

    await recommended.locator('tbody tr.ant-table-row', { hasText: '202' }).click()
    await page.waitForFunction((p) => window.location.hash === `#/board/${p}`, projectId)
    await page.locator('.bc-cell').first().waitFor()
  })

  it('a client without needs is told to record them first', async () => {
    const page = await newPage('matching-empty')
    await signIn(page, 'agent1')
    await page.evaluate((h) => (window.location.hash = h), `#/clients/${newcomerId}`)
    await page.getByTestId('client-profile').waitFor()
    await page.getByRole('tab', { name: '推荐房源' }).click()
    const empty = page.getByTestId('recommend-empty')
    await empty.waitFor()
    expect(await empty.innerText()).toContain('还没有登记购房需求')
    await shot(page, 'matching-03-no-needs')
    await empty.getByRole('button', { name: '去登记需求' }).click()
    await page.getByRole('tab', { name: '购房需求', selected: true }).waitFor()
  })
})
