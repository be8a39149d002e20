import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, startBuiltHost, type BuiltHost } from './support/built-host'
import { e2eBrowser } from './support/shared-browser'
import { hostCall, hostLogin } from './support/host-api'
import { ADMIN_PASSWORD, newPage as openTab, shot, signIn as signInAt, SHOTS } from './support/pages'
import { openBoard } from './support/board'
import { unitSheetBase64, type UnitSheetRow } from '../helpers/unit-sheet'

const BUILDINGS = 5
const FLOORS = 30
const PER_FLOOR = 20
const UNITS = BUILDINGS * FLOORS * PER_FLOOR

let host: BuiltHost
let browser: Browser
let managerToken: string
let projectId: number

const call = <T>(token: string | null, method: string, input: unknown) => hostCall<T>(host.url, token, method, input)

const login = (username: string) => hostLogin(host.url, username)

/** 5 buildings x 30 floors x 20 units, in the import template's columns. */
async function unitWorkbook(): Promise<string> {
  const rows: UnitSheetRow[] = []
  const layouts = ['两室一厅', '三室两厅', '四室两厅', '一室一厅']
  for (let b = 1; b <= BUILDINGS; b++) {
    for (let f = 1; f <= FLOORS; f++) {
      for (let n = 1; n <= PER_FLOOR; n++) {
        const area = [68.5, 89.2, 118.6, 143.0][n % 4]!
        rows.push({ building: `${b}号楼`, floor: f, number: `${f}${String(n).padStart(2, '0')}`, layout: layouts[n % 4], area, orientation: n % 2 ? '南' : '南北', listPrice: Math.round(area * (26000 + f * 150)), tags: n === 1 ? '边套' : '' })
      }
    }
  }
  return unitSheetBase64(rows)
}

const WIDE = { width: 1600, height: 900 }
const newPage = (name: string) => openTab(browser, name, { viewport: WIDE })
const signIn = (page: Page, username: string) => signInAt(page, username, { url: host.url })

beforeAll(async () => {
  ensureBuilt()
  fs.mkdirSync(SHOTS, { recursive: true })
  host = await startBuiltHost({ adminPassword: ADMIN_PASSWORD, demo: true })
  browser = await e2eBrowser()
  managerToken = await login('manager')
  projectId = (await call<{ id: number }>(managerToken, 'projects.create', { name: '滨江壹号', district: '滨江' })).id
  const r = await call<{ imported: number; errors: unknown[] }>(managerToken, 'units.import', { projectId, fileBase64: await unitWorkbook() })
  expect(r.errors).toEqual([])
  expect(r.imported).toBe(UNITS)
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
})

describe('sales-control board: 3,000 units, live push, lobby display', () => {
  it('renders 3,000 cells, repaints only the reserved cell on push, and shows the published board without names', async () => {
    const clients = await call<{ rows: { id: number; name: string; blacklisted: boolean }[] }>(managerToken, 'clients.list', { limit: 20 })
    const client = clients.rows.find((c) => !c.blacklisted)!

    // manager opens the board
    const manager = await newPage('board-manager')
    await signIn(manager, 'manager')
    const renderMs = await openBoard(manager, `#/board/${projectId}`, UNITS)
    console.log(`board render: ${UNITS} cells painted ${Math.round(renderMs)} ms after navigation`)
    expect(await manager.locator('.bc-cell').count()).toBe(UNITS)
    await shot(manager, 'board-01-manager')

    // an agent on another PC opens the same board
    const agent = await newPage('board-agent')
    await signIn(agent, 'agent1')
    const agentMs = await openBoard(agent, `#/board/${projectId}`, UNITS)
    console.log(`board render (agent): ${Math.round(agentMs)} ms`)

    const board = await call<{ units: { id: number; number: string; buildingId: number }[] }>(managerToken, 'board.get', { projectId })
    const target = board.units.find((u) => u.number === '1505')!
    const cell = `.bc-cell[data-unit="${target.id}"]`
    const before = await agent.locator(cell).evaluate((el) => getComputedStyle(el).backgroundColor)

    // watch the agent's grid: which cells mutate, and when the target turns 小订
    await agent.evaluate(
      ({ id }) => {
        const w = window as unknown as { __mutated: Set<string>; __other: number; __arrived: Promise<number> }
        w.__mutated = new Set()
        w.__other = 0
        const grid = document.querySelector('[data-testid="board-grid"]')!
        w.__arrived = new Promise((resolve) => {
          new MutationObserver((records) => {
            for (const r of records) {
              const el = r.target instanceof Element ? r.target : r.target.parentElement
              const c = el?.closest<HTMLElement>('[data-unit]')
              if (c) w.__mutated.add(c.dataset.unit!)
              else w.__other++
            }
            const t = document.querySelector(`.bc-cell[data-unit="${id}"]`)
            if (t?.getAttribute('data-status') === 'small_deposit') resolve(Date.now())
          }).observe(grid, { subtree: true, attributes: true, childList: true, characterData: true })
        })
      },
      { id: target.id },
    )

    const t0 = Date.now()
    await call(managerToken, 'units.reserve', { unitId: target.id, clientId: client.id, deposit: 500_000, receiptNo: 'E2E-001', method: 'cash' })
    const arrived = await agent.evaluate(() => (window as unknown as { __arrived: Promise<number> }).__arrived)
    console.log(`push latency: reserve call -> agent cell repainted in ${arrived - t0} ms`)
    // the board applies pushes one at a time, in order: once a later push has repainted its own
    // cell, all the reserve's push did is on the page (a hold the manager lifts again at once)
    const sentinel = board.units[board.units.length - 1]!
    const sentinelCell = agent.locator(`.bc-cell[data-unit="${sentinel.id}"]`)
    await call(managerToken, 'units.hold', { unitId: sentinel.id, reason: '哨兵：确认推送已处理' })
    await agent.locator(`.bc-cell[data-unit="${sentinel.id}"][data-status="hold"]`).waitFor()
    const mutated = await agent.evaluate(() => {
      const w = window as unknown as { __mutated: Set<string>; __other: number }
      return { cells: [...w.__mutated], other: w.__other }
    })
    console.log(`mutated cells after the push: ${mutated.cells.length} (${mutated.cells.join(', ')}), other grid nodes: ${mutated.other}`)
    // the reserved cell is the only one touched (besides the later push's own): the board is not re-rendered
    expect(mutated.cells).toEqual([String(target.id), String(sentinel.id)])
    expect(mutated.other).toBe(0)
    await call(managerToken, 'units.release', { unitId: sentinel.id, reason: '哨兵解除' })
    await expect.poll(() => sentinelCell.getAttribute('data-status')).toBe('available')
    const after = await agent.locator(cell).evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(after).not.toBe(before)

    // hover shows the details; the manager sees the client's name
    await manager.locator(cell).hover()
    const tip = manager.getByTestId('unit-tip')
    await tip.waitFor()
    expect(await tip.innerText()).toContain('小订')
    expect(await tip.innerText()).toContain(client.name)
    await shot(manager, 'board-02-hover')

    // a second 小订 on the same unit is refused in Chinese, naming who holds it
    await manager.mouse.move(5, 5)
    await manager.locator(cell).click()
    const drawer = manager.getByTestId('unit-drawer')
    await drawer.waitFor()
    await shot(manager, 'board-03-drawer')
    const free = board.units.find((u) => u.number === '1506')!
    await manager.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })

    // by keyboard: the clicked cell keeps the focus mark; → moves to 1506, Enter opens it
    await manager.getByTestId('board-grid').focus()
    await manager.keyboard.press('ArrowRight')
    expect(await manager.locator('.bc-cell.bc-focus').getAttribute('data-unit')).toBe(String(free.id))
    await manager.keyboard.press('ArrowUp')
    expect(await manager.locator('.bc-cell.bc-focus b').innerText()).toBe('1606')
    await manager.keyboard.press('ArrowDown')
    await manager.keyboard.press('Enter')
    await drawer.waitFor()
    expect(await drawer.innerText()).toContain('1506')
    await manager.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
    // another agent, for a client of their own: refused, naming who holds the unit but not their client
    const agentToken = await login('agent2')
    const own = await call<{ id: number }>(agentToken, 'clients.create', { kind: 'person', name: '王买家', phones: [{ number: '13911112222' }], sourceChannel: 'walk_in' })
    const refused = await fetch(`${host.url}/api/units.reserve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agentToken}` },
      body: JSON.stringify({ unitId: target.id, clientId: own.id, deposit: 100_000, receiptNo: 'E2E-002', method: 'cash' }),
    }).then((r) => r.json() as Promise<{ ok: boolean; error?: { reason?: string } }>)
    expect(refused.ok).toBe(false)
    expect(refused.error?.reason).toBe('unit_small_deposit')
    expect(JSON.stringify(refused)).not.toContain(client.name)
    expect(free).toBeTruthy()

    // the agent's cell agrees with the manager's
    expect(await manager.locator(cell).getAttribute('data-status')).toBe('small_deposit')

    // publish, then the lobby display shows the published state and never a client name
    await manager.getByTestId('publish').click()
    await manager.getByTestId('last-published').filter({ hasText: '上次发布' }).waitFor()
    await shot(manager, 'board-04-published')
    const displayMs = await openBoard(manager, `#/board/display/${projectId}`, UNITS)
    console.log(`lobby display render: ${Math.round(displayMs)} ms`)
    const display = manager.getByTestId('board-display')
    await display.waitFor()
    expect(await manager.locator(`${cell}`).getAttribute('data-status')).toBe('small_deposit')
    const text = await manager.locator('body').innerText()
    expect(text).not.toContain(client.name)
    expect(text).toContain('滨江壹号')
    expect(await manager.locator('.app-sider').isVisible()).toBe(false)
    await shot(manager, 'board-05-display')
  })
})
