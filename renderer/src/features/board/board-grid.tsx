import { memo, useMemo, type MouseEvent, type ReactNode } from 'react'
import type { UnitStatus } from '../../../../shared/domain/unit-status'
import { sqm, wan } from './format'

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

/** Dark text on light colours (yellows), white on the rest. */
export function textOn(hex: string): string {
  const n = parseInt(hex.replace('#', ''), 16)
  const r = (n >> 16) & 255
  const g = (n >> 8) & 255
  const b = n & 255
  return 0.299 * r + 0.587 * g + 0.114 * b > 160 ? '#1f1f1f' : '#fff'
}

interface CellProps {
  unit: GridUnit
  color: string
  dimmed: boolean
  price?: number
}

/** One unit: a plain div, repainted only when its unit object, colour or dimming changes. */
const Cell = memo(function Cell({ unit, color, dimmed, price }: CellProps) {
  return (
    <div
      className={dimmed ? 'bc-cell bc-dim' : 'bc-cell'}
      data-unit={unit.id}
      data-status={unit.status}
      style={{ background: color, color: textOn(color) }}
    >
      <b>{unit.number}</b>
      <span>{unit.layout ?? ''}</span>
      <span>{sqm(unit.area)}㎡</span>
      <span>{wan(price ?? unit.listPrice)}万</span>
    </div>
  )
})

interface Floor {
  floor: number
  units: GridUnit[]
}

/** Buildings -> floors top-down -> units by number. */
function layoutOf(buildings: { id: number; name: string }[], units: readonly GridUnit[]) {
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
    const rows: Floor[] = [...floors.entries()]
      .sort((a, c) => c[0] - a[0])
      .map(([floor, list]) => ({ floor, units: list.sort((x, y) => x.number.localeCompare(y.number, 'zh-CN', { numeric: true })) }))
    return { building: b, rows, count: rows.reduce((n, r) => n + r.units.length, 0) }
  })
}

export interface BoardGridProps {
  buildings: { id: number; name: string }[]
  units: readonly GridUnit[]
  palette: Record<string, string>
  /** ids of units that do not match the filters (dimmed); null = no filter */
  dimmed?: ReadonlySet<number> | null
  /** deal price per unit id (shown instead of the list price) */
  priceOf?: (u: GridUnit) => number
  big?: boolean
  floorLabel(floor: number): string
  buildingExtra?(count: number): ReactNode
  onHover?(id: number | null, e: MouseEvent): void
  onPick?(id: number): void
}

function unitIdAt(e: MouseEvent): number | null {
  const el = (e.target as HTMLElement).closest<HTMLElement>('[data-unit]')
  return el ? Number(el.dataset.unit) : null
}

/** The floor x unit grids of all buildings; one listener each for hover and click (no handler per cell). */
export const BoardGrid = memo(function BoardGrid(p: BoardGridProps) {
  const { buildings, units, palette, dimmed, priceOf, big, floorLabel, buildingExtra, onHover, onPick } = p
  const blocks = useMemo(() => layoutOf(buildings, units), [buildings, units])
  return (
    <div
      className={big ? 'bc-grid bc-big' : 'bc-grid'}
      data-testid="board-grid"
      onMouseOver={onHover ? (e) => onHover(unitIdAt(e), e) : undefined}
      onMouseLeave={onHover ? (e) => onHover(null, e) : undefined}
      onClick={
        onPick
          ? (e) => {
              const id = unitIdAt(e)
              if (id !== null) onPick(id)
            }
          : undefined
      }
    >
      {blocks.map(({ building, rows, count }) => (
        <section key={building.id} className="bc-building" aria-label={building.name}>
          <header className="bc-building-head">
            <span className="bc-building-name">{building.name}</span>
            {buildingExtra?.(count)}
          </header>
          <div className="bc-floors">
            {rows.map((r) => (
              <div key={r.floor} className="bc-floor">
                <div className="bc-floor-label">{floorLabel(r.floor)}</div>
                {r.units.map((u) => (
                  <Cell key={u.id} unit={u} color={palette[u.status] ?? '#ccc'} dimmed={dimmed?.has(u.id) ?? false} price={priceOf?.(u)} />
                ))}
              </div>
            ))}
          </div>
        </section>
      ))}
    </div>
  )
})
