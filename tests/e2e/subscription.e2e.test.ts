import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { unitSheet } from '../helpers/unit-sheet'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, newPage, shot, signIn } from './support/pages'
import { builtHostSuite } from './support/suite'

// issue 21: the manager's console calls a group, a member-card swipe at the door is checked in large type, the desk's pick locks the unit
const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true })
const POLL = { timeout: 30_000 }
// the holder's member card, as a keyboard-type reader set to 10 decimal digits types it
const MEMBER_CARD = '0421002121'

/**
 * A keyboard-type reader (the browser build's reader: a keyboard wedge): ten digits and Enter in one
 * burst, with no text field focused. The keys are dispatched inside the page in one task, a reader's
 * burst as it arrives (see front-desk.e2e.test.ts: sent from here each key is stamped when the
 * browser gets to it, and on a loaded machine the gaps made the burst read as typing).
 */
async function swipe(page: Page, digits: string): Promise<void> {
  await page.evaluate((digits) => {
    ;(document.activeElement as HTMLElement | null)?.blur()
    const press = (key: string, code: string, keyCode: number) => {
      for (const type of ['keydown', 'keyup']) {
        const target = document.activeElement ?? document.body
        target.dispatchEvent(new KeyboardEvent(type, { key, code, keyCode, which: keyCode, bubbles: true, cancelable: true, composed: true }))
      }
    }
    for (const c of digits) press(c, `Digit${c}`, 48 + Number(c))
    press('Enter', 'Enter', 13)
  }, digits)
}

interface Board {
  units: Array<{ id: number; number: string; status: string }>
}

describe('认购日 in Chromium', () => {
  it('calls group 1, welcomes a card holder at the door, and a pick turns the unit 认购 on the board', async () => {
    const url = suite.host.url
    const manager = await hostLogin(url, 'manager')
    const agent = await hostLogin(url, 'agent1')
    const project = await hostCall<{ id: number }>(url, manager, 'projects.create', { name: '花园认购苑' })
    const sheet = await unitSheet([1, 2, 3].map((n) => ({ building: '1号楼', floor: 8, number: `80${n}`, layout: '三室两厅', area: 118.6, orientation: '南北', listPrice: 3_000_000 })))
    await hostCall(url, manager, 'units.import', { projectId: project.id, fileBase64: sheet.toString('base64') })
    const units = (await hostCall<Board>(url, manager, 'board.get', { projectId: project.id })).units
    // the board as published before the day (every unit available): the lobby display shows it
    await hostCall(url, manager, 'board.publish', { projectId: project.id })
    const client = await hostCall<{ id: number }>(url, agent, 'clients.create', { kind: 'person', name: '认购演示客户', phones: [{ number: '18233991001' }], sourceChannel: 'walk_in' })
    await hostCall(url, agent, 'cards.issue', { clientId: client.id, read: { text: MEMBER_CARD, format: 'decimal-10' } })
    const cards: number[] = []
    for (const n of [1, 2]) {
      const c = await hostCall<{ cardNo: number }>(url, agent, 'subscription.issueCard', { projectId: project.id, clientId: client.id, deposit: 5_000_000, receiptNo: `E2E-YX${n}`, method: 'transfer', wishes: [units[0]!.id] })
      cards.push(c.cardNo)
    }
    const event = await hostCall<{ id: number }>(url, manager, 'subscription.createEvent', { projectId: project.id, name: '演示开盘', days: ['2026-12-06'], unitIds: units.map((u) => u.id), groupSize: 2, rulesText: '每张贵宾卡限选一套。\n过号作废，意向金三日内退还。' })

    const page = await newPage(suite.browser, 'subscription')
    await signIn(page, 'manager', { url: `${url}/#/subscription/${event.id}/console` })
    // the rules as a sheet for the door and the desks: the terms and the manager's text, line by line
    await page.getByRole('button', { name: '打印须知' }).click()
    const rules = page.getByTestId('rules-print')
    await expect.poll(() => rules.innerText(), POLL).toContain('每张贵宾卡限选一套。\n过号作废，意向金三日内退还。')
    expect(await rules.innerText()).toContain('每组\t2 张卡，15 分钟')
    await page.keyboard.press('Escape')
    await rules.waitFor({ state: 'hidden' })
    await page.getByRole('button', { name: '叫下一组' }).click()
    await expect.poll(() => page.getByTestId('console-group').innerText(), POLL).toContain('第 1 天 · 第 1/1 组')

    await page.getByRole('tab', { name: '门口验卡' }).click()
    // the holder swipes their member card at the door (the door's own swipe path, no number typed):
    // of their two VIP cards, the one whose turn it is first is checked in
    await page.getByLabel('刷会员卡或输入贵宾卡号').waitFor()
    await swipe(page, MEMBER_CARD)
    await expect.poll(() => page.getByTestId('door-verdict').innerText(), POLL).toBe(`请进 · ${cards[0]} 号 · 第 1 组`)
    expect(await page.getByLabel('刷会员卡或输入贵宾卡号').inputValue()).toBe('')
    // the second card came in by another door (the API)
    await hostCall(url, manager, 'subscription.checkIn', { eventId: event.id, cardNo: cards[1] })

    // the later card wants the first card's first wish: refused by the host, then takes another unit
    await page.getByRole('tab', { name: '选房台' }).click()
    const cardField = page.getByRole('spinbutton', { name: '卡号' })
    const pickButton = page.getByRole('button', { name: '认 购' }).or(page.getByRole('button', { name: '认购' }))
    await cardField.fill(String(cards[1]))
    await page.getByRole('combobox', { name: '房号' }).click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `${units[0]!.number}（` }).click()
    await pickButton.click()
    await page.getByText(`同组在先的 ${cards[0]} 号卡还可能选这套房`).waitFor()
    // the unit stays chosen: the earlier card takes it
    await cardField.fill(String(cards[0]))
    await pickButton.click()
    await page.getByText(`${cards[0]} 号已认购，房源已锁定`).waitFor()
    const board = await hostCall<Board>(url, agent, 'board.get', { projectId: project.id })
    expect(board.units.find((u) => u.id === units[0]!.id)!.status).toBe('subscribe')

    await page.getByRole('tab', { name: '大屏' }).click()
    await page.getByText('已售 1 套').waitFor()
    // the published board on the lobby, names hidden: the pick shows 认购 at once, without a new publish
    const lobbyBoard = page.getByTestId('lobby-board')
    await expect.poll(() => lobbyBoard.locator(`[data-unit="${units[0]!.id}"]`).getAttribute('data-status'), POLL).toBe('subscribe')
    expect(await lobbyBoard.locator(`[data-unit="${units[1]!.id}"]`).getAttribute('data-status')).toBe('available')
    expect(await lobbyBoard.innerText()).not.toContain('认购演示客户')
    await shot(page, 'subscription-12-lobby')
  })
})
