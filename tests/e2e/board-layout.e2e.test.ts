import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, animationsSettled, newPage as openTab, SHOTS, shot as wantedShot, signIn as signInAt } from './support/pages'
import { builtHostSuite } from './support/suite'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

/** A branch's usual project: 6 buildings of 12 floors x 4 units, on a 1366x768 counter screen. */
const BUILDINGS = 6
const FLOORS = 12
const PER_FLOOR = 4
const UNITS = BUILDINGS * FLOORS * PER_FLOOR
const DIR = path.join(SHOTS, 'h16-h')

const suite = builtHostSuite({ adminPassword: ADMIN_PASSWORD, demo: true })
let projectId: number
let buildingIds: number[]
const held: number[] = []
const withheld: number[] = []
const reserved: number[] = []
let clientName: string

const call = <T>(token: string | null, method: string, input: unknown) => hostCall<T>(suite.host.url, token, method, input)

async function unitWorkbook(): Promise<string> {
  const rows: UnitSheetRow[] = []
  for (let b = 1; b <= BUILDINGS; b++)
    for (let f = 1; f <= FLOORS; f++)
      for (let n = 1; n <= PER_FLOOR; n++) rows.push({ building: `${b}号楼`, floor: f, number: `${f}0${n}`, layout: n % 2 ? '三室两厅' : '两室一厅', area: n % 2 ? 118.6 : 89.2, orientation: '南北', listPrice: 2_000_000 + f * 50_000 + n * 10_000 })
  return unitSheetBase64(rows)
}

beforeAll(async () => {
  fs.mkdirSync(DIR, { recursive: true })
  const manager = await hostLogin(suite.host.url, 'manager')
  projectId = (await call<{ id: number }>(manager, 'projects.create', { name: '钱塘悦府', district: '钱塘' })).id
  expect((await call<{ imported: number }>(manager, 'units.import', { projectId, fileBase64: await unitWorkbook() })).imported).toBe(UNITS)
  const board = await call<{ buildings: { id: number }[]; units: { id: number; buildingId: number; number: string }[] }>(manager, 'board.get', { projectId })
  buildingIds = board.buildings.map((b) => b.id)
  const unit = (b: number, number: string) => board.units.find((u) => u.buildingId === buildingIds[b] && u.number === number)!.id
  for (const [b, n] of [[0, '1201'], [2, '802'], [5, '303']] as const) {
    held.push(unit(b, n))
    await call(manager, 'units.hold', { unitId: unit(b, n), reason: '领导预留' })
  }
  for (const [b, n] of [[1, '101'], [1, '102']] as const) {
    withheld.push(unit(b, n))
    await call(manager, 'units.withhold', { unitId: unit(b, n), reason: '样板间' })
  }
  const clients = await call<{ rows: { id: number; name: string; blacklisted: boolean }[] }>(manager, 'clients.list', { limit: 20 })
  const client = clients.rows.find((c) => !c.blacklisted)!
  clientName = client.name
  for (const [b, n] of [[0, '1104'], [3, '601']] as const) {
    reserved.push(unit(b, n))
    await call(manager, 'units.reserve', { unitId: unit(b, n), clientId: client.id, deposit: 500_000, receiptNo: `H16-${n}`, method: 'cash' })
  }
  await call(manager, 'board.publish', { projectId })
})

/** expect.poll with the patience of a loaded machine (its default is 1 s) */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 })

const newPage = (name: string) => openTab(suite.browser, name, { shots: DIR })

async function shot(page: Page, name: string) {
  await animationsSettled(page)
  await wantedShot(page, name, DIR)
}

async function openBoard(page: Page) {
  await signInAt(page, 'manager', { url: suite.host.url })
  await page.evaluate((hash) => (window.location.hash = hash), `#/board/${projectId}`)
  await poll(() => page.locator('[data-testid="board-grid"] .bc-cell').count()).toBe(UNITS)
}

/** Cells of the live grid the eye can see (not in a hidden building, not hidden by the legend's filter). */
function seenCells(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="board-grid"] .bc-cell')]
      .filter((c) => c.checkVisibility({ visibilityProperty: true }))
      .map((c) => Number(c.dataset.unit)),
  )
}

describe('#16 item 17: the sales board at a counter screen, its legend, paper and the lobby', () => {
  it('6 buildings fit 1366x768 side by side, or one at a time from the 楼栋 tabs; the legend stays on top while the grid scrolls', async () => {
    const page = await newPage('board-layout')
    await openBoard(page)
    // nothing scrolls sideways: the page and the content area are as wide as the screen
    const widths = await page.evaluate(() => {
      const content = document.querySelector<HTMLElement>('.app-content')!
      return { doc: document.documentElement.scrollWidth, content: content.scrollWidth - content.clientWidth }
    })
    expect(widths.doc).toBeLessThanOrEqual(1366)
    expect(widths.content).toBe(0)
    // side by side: the first buildings share a row
    const tops = await page.locator('[data-testid="board-grid"] section.bc-building').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)))
    expect(tops).toHaveLength(BUILDINGS)
    expect(tops[1]).toBe(tops[0])
    expect(tops[2]).toBe(tops[0])
    // the tabs: 全部楼栋 and the 6 buildings, all on screen
    const tabs = page.getByTestId('building-tabs')
    const tabRight = await tabs.locator('.ant-segmented-item').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right))
    expect(tabRight).toHaveLength(BUILDINGS + 1)
    for (const r of tabRight) expect(r).toBeLessThanOrEqual(1366)
    await shot(page, 'layout-01-six-buildings-1366')

    // a tab shows that building alone
    await tabs.getByText('3号楼', { exact: true }).click()
    await poll(async () => (await seenCells(page)).length).toBe(FLOORS * PER_FLOOR)
    expect(await page.locator('[data-testid="board-grid"] section.bc-building:not(.bc-off)').getAttribute('aria-label')).toBe('3号楼')
    await shot(page, 'layout-02-building-3')
    // keyboard: the tabs are a radio group, arrows move between buildings
    await tabs.locator('input:checked').focus()
    await page.keyboard.press('ArrowRight')
    await poll(() => page.locator('[data-testid="board-grid"] section.bc-building:not(.bc-off)').getAttribute('aria-label')).toBe('4号楼')
    await tabs.getByText('全部楼栋', { exact: true }).click()
    await poll(async () => (await seenCells(page)).length).toBe(UNITS)

    // scroll the board: the legend and tabs stay where they were, over the grid
    const legend = page.getByTestId('board-legend')
    const before = (await legend.boundingBox())!
    await page.evaluate(() => document.querySelector('.app-content')!.scrollBy(0, 500))
    await poll(() => page.evaluate(() => document.querySelector('.app-content')!.scrollTop)).toBeGreaterThan(300)
    const after = (await legend.boundingBox())!
    expect(after.y).toBeGreaterThanOrEqual(0)
    expect(after.y).toBeLessThan(before.y)
    // it is on top: the point at its middle belongs to it, not to a cell under it
    const onTop = await page.evaluate(({ x, y }) => !!document.elementFromPoint(x, y)?.closest('[data-testid="board-legend"]'), { x: after.x + 40, y: after.y + after.height / 2 })
    expect(onTop).toBe(true)
    await shot(page, 'layout-03-scrolled-legend-sticks')
  })

  it('the legend filters: click a status shows only its units, click again shows all; keyboard too; every cell text reads at AA', async () => {
    const page = await newPage('board-legend')
    await openBoard(page)
    const legend = page.getByTestId('board-legend')
    const heldItem = legend.locator('[data-status="hold"]')
    await heldItem.click()
    expect(await heldItem.getAttribute('aria-pressed')).toBe('true')
    await poll(async () => (await seenCells(page)).sort()).toEqual([...held].sort())
    expect(await page.getByTestId('legend-showing').innerText()).toBe('只看预留/控房：3 套')
    await shot(page, 'legend-01-only-held')
    await heldItem.click()
    expect(await heldItem.getAttribute('aria-pressed')).toBe('false')
    await poll(async () => (await seenCells(page)).length).toBe(UNITS)

    // keyboard: Tab reaches the entries, Enter and Space toggle them
    await legend.locator('[data-status="available"]').focus()
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.status)).toBe('small_deposit')
    await page.keyboard.press('Enter')
    await poll(async () => (await seenCells(page)).sort()).toEqual([...reserved].sort())
    await page.keyboard.press('Tab')
    await page.keyboard.press('Space')
    // another status replaces the first
    await poll(async () => (await seenCells(page)).length).toBe(0)
    await legend.locator('[data-status="withheld"]').focus()
    await page.keyboard.press('Enter')
    await poll(async () => (await seenCells(page)).sort()).toEqual([...withheld].sort())
    // floors and buildings with none of them step aside: 不售 is 101 and 102 of 2号楼, nothing else is left on screen
    const left = await page.evaluate(() => ({
      buildings: [...document.querySelectorAll<HTMLElement>('[data-testid="board-grid"] .bc-building')].filter((e) => e.checkVisibility()).map((e) => e.getAttribute('aria-label')),
      floors: [...document.querySelectorAll<HTMLElement>('[data-testid="board-grid"] .bc-floor')].filter((e) => e.checkVisibility()).length,
    }))
    expect(left).toEqual({ buildings: ['2号楼'], floors: 1 })
    await shot(page, 'legend-02-only-withheld-keyboard')
    // the total entry shows all again
    await legend.locator('.bc-legend-total').click()
    await poll(async () => (await seenCells(page)).length).toBe(UNITS)

    // contrast as drawn: the text colour of every cell and legend swatch against its background
    const worst = await page.evaluate(() => {
      const lum = (rgb: string) => {
        const [r, g, b] = rgb.match(/\d+/g)!.slice(0, 3).map((v) => Number(v) / 255)
        const lin = (s: number) => (s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4)
        return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!)
      }
      let min = 21
      for (const el of document.querySelectorAll<HTMLElement>('[data-testid="board-grid"] .bc-cell, [data-testid="board-legend"] .bc-swatch')) {
        const s = getComputedStyle(el)
        const [a, b] = [lum(s.color), lum(s.backgroundColor)]
        min = Math.min(min, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05))
      }
      return min
    })
    expect(worst).toBeGreaterThanOrEqual(4.5)
  })

  it('prints the 销控表: A3 landscape, one building a page, every cell with its status letter', async () => {
    const page = await newPage('board-print')
    await openBoard(page)
    // the print dialog is the OS's: the test counts the call and prints to PDF itself
    await page.evaluate(() => {
      const w = window as unknown as { __printed: number }
      w.__printed = 0
      window.print = () => void w.__printed++
    })
    await page.getByTestId('board-print-button').click()
    await poll(() => page.evaluate(() => (window as unknown as { __printed: number }).__printed)).toBe(1)
    expect(await page.locator('[data-testid="board-print"] .bc-cell').count()).toBe(UNITS)
    expect(await page.locator('[data-testid="board-print"] .bc-print-page').count()).toBe(BUILDINGS)

    await page.emulateMedia({ media: 'print' })
    // the status letter on paper, as the print legend explains it
    const heldCell = page.locator(`[data-testid="board-print"] .bc-cell[data-unit="${held[0]}"]`)
    expect(await heldCell.evaluate((el) => getComputedStyle(el, '::after').content)).toBe('"留"')
    expect(await page.locator('[data-testid="board-print"] .bc-print-page').first().locator('.bc-print-legend').innerText()).toContain('留 = 预留/控房')
    // only the print view is on paper
    expect(await page.locator('.app-frame').isVisible()).toBe(false)
    await wantedShot(page, 'print-01-print-media', DIR, { fullPage: true })
    // one page as it lands on A3 (its printable width), in colour and as a black-and-white printer makes it
    await page.setViewportSize({ width: 1511, height: 1047 })
    const second = page.locator('[data-testid="board-print"] .bc-print-page').nth(1)
    await wantedShot(second, 'print-03-page-2', DIR)
    const grey = await page.addStyleTag({ content: 'html { filter: grayscale(1) }' })
    await wantedShot(second, 'print-04-page-2-grey', DIR)
    await grey.evaluate((el) => (el as Element).remove())

    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true })
    fs.writeFileSync(path.join(DIR, 'print-02-board.pdf'), pdf)
    const text = pdf.toString('latin1')
    const pages = text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []
    expect(pages).toHaveLength(BUILDINGS)
    // A3 landscape: 420 x 297 mm = 1190.55 x 841.89 pt
    const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text)!
    expect(Math.round(Number(box[1]))).toBe(1191)
    expect(Math.round(Number(box[2]))).toBe(842)

    // the dialog closes: the print view goes, the board is as before
    await page.emulateMedia({ media: 'screen' })
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
    await page.getByTestId('board-print').waitFor({ state: 'detached' })
    expect(await page.evaluate(() => document.body.classList.contains('bc-printing-board'))).toBe(false)
  })

  it('the lobby screen shows one building at a time with the board floor labels, cycles on its own and by ← →', async () => {
    const page = await newPage('board-lobby')
    await page.clock.install()
    await signInAt(page, 'manager', { url: suite.host.url })
    await page.evaluate((hash) => (window.location.hash = hash), `#/board/display/${projectId}`)
    const current = page.getByTestId('display-building')
    await poll(() => current.getAttribute('data-building')).toBe(String(buildingIds[0]))
    expect(await page.locator('[data-testid="board-display"] section.bc-building:not(.bc-off)').count()).toBe(1)
    expect(await current.innerText()).toContain('1号楼（第 1 / 6 栋）')
    // the board's floor labels, top floor first
    expect(await page.locator('[data-testid="board-display"] section.bc-building:not(.bc-off) .bc-floor-label').first().innerText()).toBe('12 层')
    await shot(page, 'lobby-01-building-1')

    // 20 s by default, then the next building
    await page.clock.runFor(20_000)
    await poll(() => current.getAttribute('data-building')).toBe(String(buildingIds[1]))
    await page.keyboard.press('ArrowRight')
    await poll(() => current.getAttribute('data-building')).toBe(String(buildingIds[2]))
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    await poll(() => current.getAttribute('data-building')).toBe(String(buildingIds[5]))
    await shot(page, 'lobby-02-building-6')

    // a lobby PC may choose its own pace; it is kept on that PC
    await page.getByTestId('display-cycle').click()
    await page.locator('.ant-select-item-option', { hasText: '每 10 秒换一栋' }).click()
    await page.clock.runFor(10_000)
    await poll(() => current.getAttribute('data-building')).toBe(String(buildingIds[0]))
    expect(await page.evaluate(() => localStorage.getItem('keyuan.board.displaySeconds'))).toBe('10')
    // never a client name on the public screen
    expect(await page.locator('body').innerText()).not.toContain(clientName)

    // English: the same screen in the other language
    await page.evaluate(() => localStorage.setItem('keyuan.language', 'en'))
    await page.reload()
    await poll(() => current.innerText()).toContain('(1 of 6)')
    expect(await page.locator('[data-testid="board-display"] section.bc-building:not(.bc-off) .bc-floor-label').first().innerText()).toBe('Floor 12')
    await shot(page, 'lobby-03-english')
  })
})
