import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, SHOTS, animationsSettled, newPage, shot, signIn } from './support/pages'
import { builtHostSuite } from './support/suite'
import { unitSheet } from '../helpers/unit-sheet'

// issue 16 item 6: a member's level discount is applied when a deal is priced, shown as
// list price → member discount (level, %) → deal price, before 推进 and on the deal once priced.
const DIR = `${SHOTS}/h16-f`
const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true })

const cell = (page: Page, number: string): Locator => page.locator('.bc-cell', { has: page.locator('b', { hasText: new RegExp(`^${number}$`) }) })

describe('member discount on the board, in Chromium', () => {
  it('an agent advances a 金卡会员 buyer’s 小订 to 认购 and sees 标价 → 会员优惠（金卡会员 1%）→ 成交价', async () => {
    fs.mkdirSync(DIR, { recursive: true })
    const url = suite.host.url
    const manager = await hostLogin(url, 'manager')
    const agent = await hostLogin(url, 'agent1')
    const { id: projectId } = await hostCall<{ id: number }>(url, manager, 'projects.create', { name: '会员价演示', district: '浦东' })
    const sheet = await unitSheet([1, 2].map((n) => ({ building: '1号楼', floor: 12, number: `120${n}`, layout: '三室两厅', area: 118.6, orientation: '南北', listPrice: 3_000_000 })))
    await hostCall(url, manager, 'units.import', { projectId, fileBase64: sheet.toString('base64') })
    const board = await hostCall<{ units: { id: number; number: string }[] }>(url, manager, 'board.get', { projectId })
    const unitId = board.units.find((u) => u.number === '1201')!.id
    // a mobile prefix the demo generator never uses
    const { id: clientId } = await hostCall<{ id: number }>(url, agent, 'clients.create', { kind: 'person', name: '会员买家', phones: [{ number: '18233449931' }], sourceChannel: 'walk_in' })
    await hostCall(url, agent, 'cards.issue', { clientId, read: { uid: 'E2E0F016' } })
    await hostCall(url, manager, 'club.adjust', { clientId, delta: 2000, reason: '老带新奖励' })
    await hostCall(url, agent, 'units.reserve', { unitId, clientId, deposit: 2_000_000, receiptNo: 'E2E-M1', method: 'card' })

    const page = await newPage(suite.browser, 'member-discount', { viewport: { width: 1600, height: 900 }, shots: DIR })
    await signIn(page, 'agent1', { url: `${url}/#/board/${projectId}` })
    await cell(page, '1201').click()
    const drawer = page.getByTestId('unit-drawer')
    await drawer.locator('.ant-drawer-title', { hasText: '1号楼 1201' }).waitFor()
    // a 小订 is not priced yet: no member lines on the deal
    expect(await drawer.getByTestId('member-price').count()).toBe(0)

    await drawer.locator('.ant-select', { has: page.locator('#advance_to') }).click()
    await page.locator('.ant-select-item-option[title="认购"]').click()
    const preview = drawer.getByTestId('member-price-preview-lines')
    await preview.waitFor()
    const lines = async (l: Locator) => (await l.locator('tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())
    expect(await lines(preview)).toEqual(['标价 300 万', '会员优惠（金卡会员 1%） −3 万', '成交价 297 万'])
    await animationsSettled(page)
    await shot(page, 'member-discount-10-preview', DIR)

    await drawer.getByRole('button', { name: '推进' }).click()
    await page.getByText('1201 已推进至认购，成交价 297 万元').waitFor()
    const priced = drawer.getByTestId('member-price')
    await priced.waitFor()
    expect(await lines(priced)).toEqual(['标价 300 万', '会员优惠（金卡会员 1%） −3 万', '成交价 297 万'])
    await animationsSettled(page)
    await shot(page, 'member-discount-20-priced', DIR)

    // the agent's price above the member price is refused under the price field
    await drawer.locator('#advance_price').fill('2980000')
    await drawer.getByRole('button', { name: '推进' }).click()
    await drawer.getByText('会员价为 2,970,000 元（金卡会员），成交价不能高于会员价').waitFor()
    await shot(page, 'member-discount-30-above-member-price', DIR)
  })
})
