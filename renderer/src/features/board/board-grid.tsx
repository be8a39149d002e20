import { memo, useLayoutEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react'
import { textOn } from '@shared/domain/contrast'
import type { UnitStatus } from '@shared/domain/unit-status'
import { sqm, type CellUnits } from './format'

/** What a cell needs: the live board and the published board both have it. */
export interface GridUnit {
  id: number
  buildingId: number
  floor: number
  number: string
  layout: string | null
  area: number
  listPrice: number
  status: UnitStatus
}

// one collator for the whole sort: localeCompare with options builds a new one per call (seconds for 3,000 units)
const byNumber = new Intl.Collator('zh-CN', { numeric: true }).compare

interface Floor {
  floor: number
  units: GridUnit[]
}

/** Buildings -> floors top-down -> units by number. */
function layoutOf(buildings: readonly { id: number; name: string }[], units: readonly GridUnit[]) {
  const byBuilding = new Map<number, Map<number, GridUnit[]>>()
  for (const u of units) {
    let floors = byBuilding.get(u.buildingId)
    if (!floors) byBuilding.set(u.buildingId, (floors = new Map()))
    let list = floors.get(u.floor)
    if (!list) floors.set(u.floor, (list = []))
    list.push(u)
  }
  return buildings.map((b) => {
    const floors = byBuilding.get(b.id) ?? new Map<number, GridUnit[]>()
    const rows: Floor[] = [...floors.entries()].sort((a, c) => c[0] - a[0]).map(([floor, list]) => ({ floor, units: list.sort((x, y) => byNumber(x.number, y.number)) }))
    return { building: b, rows, count: rows.reduce((n, r) => n + r.units.length, 0) }
  })
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const SPECIAL = /[&<>"']/
/** Unit numbers, layouts and building names come from imported Excel files: never trusted as markup. */
export function escapeHtml(s: string): string {
  // most texts have nothing to escape: testing first spares 12,000 replace calls on a big board
  return SPECIAL.test(s) ? s.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : s
}

/** What one cell shows; two equal looks need no repaint. */
interface Look {
  unit: GridUnit
  color: string
  dimmed: boolean
  price: number
  units: CellUnits
  /** the status as a letter, for paper (null on screen) */
  code: string | null
}

function sameLook(a: Look, b: Look): boolean {
  return a.unit === b.unit && a.color === b.color && a.dimmed === b.dimmed && a.price === b.price && a.units === b.units && a.code === b.code
}

/** The number, then layout, area and price as one text of three lines (white-space: pre): two nodes a cell, not five. */
function cellTexts(l: Look): [string, string] {
  const { area, price } = l.units
  return [l.unit.number, `${l.unit.layout ?? ''}\n${area[0]}${sqm(l.unit.area)}${area[1]}\n${price[0]}${l.units.amount(l.price)}${price[1]}`]
}

function cellHtml(l: Look): string {
  const [n, lines] = cellTexts(l)
  return (
    `<div class="${l.dimmed ? 'bc-cell bc-dim' : 'bc-cell'}" data-unit="${l.unit.id}" data-status="${l.unit.status}"` +
    (l.code === null ? ' ' : ` data-code="${escapeHtml(l.code)}" `) +
    `style="background:${escapeHtml(l.color)};color:${textOn(l.color)}"><b>${escapeHtml(n)}</b>${escapeHtml(lines)}</div>`
  )
}

/** Repaints one existing cell in place (attributes and texts), so observers see the cell itself change. */
function patchCell(el: HTMLElement, l: Look): void {
  // classList, not className: the keyboard's focus mark (bc-focus) stays on a repainted cell
  el.classList.toggle('bc-dim', l.dimmed)
  el.dataset.status = l.unit.status
  if (l.code !== null) el.dataset.code = l.code
  el.style.background = l.color
  el.style.color = textOn(l.color)
  const [n, lines] = cellTexts(l)
  const b = el.firstElementChild
  if (b && b.textContent !== n) b.textContent = n
  const rest = b?.nextSibling
  if (rest instanceof Text) {
    if (rest.data !== lines) rest.data = lines
  } else el.append(lines)
}

/** Row height in px (cell 58 + gap 3), for the size a building keeps while it is scrolled out of view. */
const FLOOR_PX = 61
const FLOOR_PX_BIG = 61
/** A cell's width plus its gap, and what a building adds around its cells (floor label, padding). */
const CELL_PX = 69
const CELL_PX_BIG = 73
const BUILDING_EDGE_PX = 72

/** What the grid last wrote into the DOM, to tell a repaint of some cells from a new layout. */
interface Painted {
  buildings: BoardGridProps['buildings']
  units: readonly GridUnit[]
  labels: string
  palette: BoardGridProps['palette']
  dimmed: BoardGridProps['dimmed']
  priceOf: BoardGridProps['priceOf']
  cellUnits: CellUnits
  codes: BoardGridProps['codes']
  looks: Map<number, Look>
  cells: Map<number, HTMLElement>
}

/** Same units in the same places (a changed unit object may only change its looks)? */
function sameShape(prev: Painted, buildings: Painted['buildings'], units: readonly GridUnit[], labels: string): boolean {
  if (prev.labels !== labels || prev.units.length !== units.length) return false
  if (prev.buildings !== buildings && prev.buildings.map((b) => `${b.id}:${b.name}`).join('|') !== buildings.map((b) => `${b.id}:${b.name}`).join('|')) return false
  for (let i = 0; i < units.length; i++) {
    const a = prev.units[i]!
    const b = units[i]!
    if (a !== b && (a.id !== b.id || a.buildingId !== b.buildingId || a.floor !== b.floor || a.number !== b.number)) return false
  }
  return true
}

interface BoardGridProps {
  buildings: readonly { id: number; name: string }[]
  units: readonly GridUnit[]
  palette: Record<string, string>
  /** ids of units that do not match the filters (dimmed); null = no filter */
  dimmed?: ReadonlySet<number> | null
  /** deal price per unit (shown instead of the list price) */
  priceOf?: (u: GridUnit) => number
  big?: boolean
  /** the words around each cell's area and price (see cellUnits in format.ts) */
  cellUnits: CellUnits
  floorLabel(floor: number): string
  /** text beside a building's name, e.g. "600 套" */
  buildingNote?(count: number): string
  onHover?(id: number | null, e: MouseEvent): void
  onPick?(id: number): void
  /** name for screen readers */
  label?: string
  /** show only the units of this status (the others keep their place, invisible); null or absent = all */
  show?: UnitStatus | null
  /** the one building to show (the others stay laid out, hidden); null or absent = all, side by side */
  only?: number | null
  /** a letter per status written in each cell's corner (paper: readable without colour) */
  codes?: Readonly<Record<UnitStatus, string>>
}

/** Hides every building section but `only` (null shows all). */
function showOnly(grid: HTMLElement, only: number | null): void {
  for (const section of grid.querySelectorAll<HTMLElement>('section[data-building]')) section.classList.toggle('bc-off', only !== null && section.dataset.building !== String(only))
}

function unitIdAt(target: EventTarget | null): number | null {
  const el = (target as HTMLElement | null)?.closest<HTMLElement>('[data-unit]')
  return el ? Number(el.dataset.unit) : null
}

/**
 * The floor x unit grids of all buildings. 3,000 cells are written as one HTML string (a
 * component per cell cost seconds in React), and later updates repaint only the cells whose
 * unit object, colour, dimming or price changed; the layout is rebuilt only when units or
 * buildings come or go. Buildings out of view are skipped by the browser (content-visibility).
 * One listener each for hover, click and keys; arrows move between cells, Enter opens one.
 */
export const BoardGrid = memo(function BoardGrid(p: BoardGridProps) {
  const { buildings, units, palette, dimmed, priceOf, big, cellUnits, floorLabel, buildingNote, onHover, onPick, label, only = null, codes, show = null } = p
  const root = useRef<HTMLDivElement>(null)
  const painted = useRef<Painted | null>(null)
  const shown = useRef(only)
  shown.current = only

  useLayoutEffect(() => {
    const el = root.current
    if (!el) return
    const lookOf = (u: GridUnit): Look => ({ unit: u, color: palette[u.status] ?? '#ccc', dimmed: dimmed?.has(u.id) ?? false, price: priceOf?.(u) ?? u.listPrice, units: cellUnits, code: codes?.[u.status] ?? null })
    const labels = `${big ? 1 : 0}#${floorLabel(1)}#${buildingNote?.(1) ?? ''}`
    const prev = painted.current
    if (prev && sameShape(prev, buildings, units, labels)) {
      // only a changed unit object can look different, unless colours, filters or prices changed for all
      const all = prev.palette !== palette || prev.dimmed !== dimmed || prev.priceOf !== priceOf || prev.cellUnits !== cellUnits || prev.codes !== codes
      for (let i = 0; i < units.length; i++) {
        const u = units[i]!
        if (!all && u === prev.units[i]) continue
        const look = lookOf(u)
        const old = prev.looks.get(u.id)
        if (old && sameLook(old, look)) continue
        const cell = prev.cells.get(u.id)
        if (cell) patchCell(cell, look)
        prev.looks.set(u.id, look)
      }
      Object.assign(prev, { units, palette, dimmed, priceOf, cellUnits, codes })
      performance.mark('board:patched')
      return
    }
    const looks = new Map<number, Look>()
    const rowPx = big ? FLOOR_PX_BIG : FLOOR_PX
    const cellPx = big ? CELL_PX_BIG : CELL_PX
    let html = ''
    for (const { building, rows, count } of layoutOf(buildings, units)) {
      const note = buildingNote ? `<span class="bc-building-count">${escapeHtml(buildingNote(count))}</span>` : ''
      // side by side, a building scrolled out of view keeps its width as well as its height
      const widest = rows.reduce((n, r) => Math.max(n, r.units.length), 0)
      const size = `auto ${widest * cellPx + BUILDING_EDGE_PX}px auto ${rows.length * rowPx + 48}px`
      html += `<section class="bc-building" data-building="${building.id}" aria-label="${escapeHtml(building.name)}" style="contain-intrinsic-size:${size}">`
      html += `<header class="bc-building-head"><span class="bc-building-name">${escapeHtml(building.name)}</span>${note}</header><div class="bc-floors">`
      for (const r of rows) {
        html += `<div class="bc-floor"><div class="bc-floor-label">${escapeHtml(floorLabel(r.floor))}</div>`
        for (const u of r.units) {
          const look = lookOf(u)
          looks.set(u.id, look)
          html += cellHtml(look)
        }
        html += '</div>'
      }
      html += '</div></section>'
    }
    el.innerHTML = html
    const cells = new Map<number, HTMLElement>()
    for (const c of el.querySelectorAll<HTMLElement>('[data-unit]')) cells.set(Number(c.dataset.unit), c)
    painted.current = { buildings, units, labels, palette, dimmed, priceOf, cellUnits, codes, looks, cells }
    showOnly(el, shown.current)
    performance.mark('board:laid-out')
  }, [buildings, units, palette, dimmed, priceOf, big, cellUnits, floorLabel, buildingNote, codes])

  // switching buildings hides and shows whole sections: no cell is rewritten
  useLayoutEffect(() => {
    if (root.current) showOnly(root.current, only)
  }, [only])

  const focusCell = (cell: HTMLElement | null | undefined) => {
    if (!cell) return
    root.current?.querySelector('.bc-focus')?.classList.remove('bc-focus')
    cell.classList.add('bc-focus')
    root.current?.setAttribute('aria-activedescendant', (cell.id ||= `bc-unit-${cell.dataset.unit}`))
    cell.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const grid = root.current
    if (!grid) return
    const current = grid.querySelector<HTMLElement>('.bc-focus')
    if (!current) {
      if (e.key.startsWith('Arrow')) {
        e.preventDefault()
        focusCell(grid.querySelector<HTMLElement>('.bc-building:not(.bc-off) [data-unit]'))
      }
      return
    }
    const floor = current.parentElement!
    const index = [...floor.children].indexOf(current)
    const sideways = (step: 1 | -1) => {
      const next = (step === 1 ? current.nextElementSibling : current.previousElementSibling) as HTMLElement | null
      return next?.dataset.unit ? next : null
    }
    const vertical = (step: 1 | -1) => {
      const row = (step === 1 ? floor.nextElementSibling : floor.previousElementSibling) as HTMLElement | null
      if (!row) return null
      const cells = row.querySelectorAll<HTMLElement>('[data-unit]')
      return cells[Math.min(index - 1, cells.length - 1)] ?? null
    }
    let next: HTMLElement | null = null
    if (e.key === 'ArrowRight') next = sideways(1)
    else if (e.key === 'ArrowLeft') next = sideways(-1)
    else if (e.key === 'ArrowDown') next = vertical(1)
    else if (e.key === 'ArrowUp') next = vertical(-1)
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      onPick?.(Number(current.dataset.unit))
      return
    } else return
    e.preventDefault()
    focusCell(next)
  }

  return (
    <div
      ref={root}
      className={big ? 'bc-grid bc-big' : 'bc-grid'}
      data-testid="board-grid"
      data-show={show ?? undefined}
      role={onPick ? 'application' : undefined}
      aria-label={label}
      tabIndex={onPick ? 0 : undefined}
      onKeyDown={onPick ? onKeyDown : undefined}
      onMouseOver={onHover ? (e) => onHover(unitIdAt(e.target), e) : undefined}
      onMouseLeave={onHover ? (e) => onHover(null, e) : undefined}
      onClick={
        onPick
          ? (e) => {
              const id = unitIdAt(e.target)
              if (id === null) return
              focusCell(root.current?.querySelector<HTMLElement>(`[data-unit="${id}"]`))
              onPick(id)
            }
          : undefined
      }
    />
  )
})
