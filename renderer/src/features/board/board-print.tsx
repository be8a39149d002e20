import { useEffect, useMemo } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import { formatBranchTime } from '@shared/domain/branch-time'
import { textOn } from '@shared/domain/contrast'
import { UnitStatus } from '@shared/domain/unit-status'
import { BoardGrid, type GridUnit } from './board-grid'
import type { CellUnits } from './format'

/** One A3 landscape page less its 10 mm margins, in CSS px (96 per inch): 400 x 277 mm. */
const PAGE_W = 1511
const PAGE_H = 1047
/** What the page head, the legend and a building's floor row need around the cells. */
const HEAD_PX = 130
const ROW_PX = 61
const CELL_PX = 69
const EDGE_PX = 80

interface BoardPrintProps {
  projectName: string
  buildings: readonly { id: number; name: string }[]
  units: readonly GridUnit[]
  palette: Record<string, string>
  priceOf(u: GridUnit): number
  cellUnits: CellUnits
  floorLabel(floor: number): string
  /** the print dialog has closed (printed or not) */
  onDone(): void
}

/** Small buildings are printed larger, up to this, to be read from arm's length. */
const MAX_ZOOM = 1.6

/** The zoom that fits a building of `rows` floors and `widest` units a floor on one page. */
function pageZoom(rows: number, widest: number): number {
  return Math.min(MAX_ZOOM, PAGE_W / (widest * CELL_PX + EDGE_PX), (PAGE_H - HEAD_PX) / (rows * ROW_PX + 20))
}

/**
 * The 销控表 on paper: A3 landscape, one building a page, each cell's status also as a letter
 * (readable in black and white), a legend of the letters on every page. Mounted for one print:
 * it opens the print dialog and reports when the dialog is closed. Only it prints meanwhile
 * (board.css, `body.bc-printing-board`).
 */
export function BoardPrint({ projectName, buildings, units, palette, priceOf, cellUnits, floorLabel, onDone }: BoardPrintProps) {
  const { t } = useTranslation()
  const codes = useMemo(() => Object.fromEntries(UnitStatus.options.map((s) => [s, t(`board.codes.${s}`)])) as Record<UnitStatus, string>, [t])
  const pages = useMemo(
    () =>
      buildings.map((b) => {
        const mine = units.filter((u) => u.buildingId === b.id)
        const perFloor = new Map<number, number>()
        for (const u of mine) perFloor.set(u.floor, (perFloor.get(u.floor) ?? 0) + 1)
        const counts = new Map<UnitStatus, number>()
        for (const u of mine) counts.set(u.status, (counts.get(u.status) ?? 0) + 1)
        return { building: b, list: [b], units: mine, counts, zoom: pageZoom(perFloor.size, Math.max(0, ...perFloor.values())) }
      }),
    [buildings, units],
  )
  const printedAt = useMemo(() => formatBranchTime(new Date().toISOString()), [])

  useEffect(() => {
    document.body.classList.add('bc-printing-board')
    window.addEventListener('afterprint', onDone, { once: true })
    // one tick: the grids are written in layout effects, the print dialog then sees them
    const timer = setTimeout(() => window.print(), 50)
    return () => {
      clearTimeout(timer)
      window.removeEventListener('afterprint', onDone)
      document.body.classList.remove('bc-printing-board')
    }
  }, [onDone])

  return createPortal(
    <div className="bc-print" data-testid="board-print">
      {pages.map(({ building, list, units: mine, counts, zoom }) => (
        <section key={building.id} className="bc-print-page" data-building={building.id}>
          <header className="bc-print-head">
            <h1>{t('board.print.title', { project: projectName, building: building.name })}</h1>
            <span>{t('board.units', { count: mine.length })}</span>
            <span>{t('board.print.printedAt', { at: printedAt })}</span>
          </header>
          <div className="bc-print-legend">
            {UnitStatus.options.map((s) => (
              <span key={s} className="bc-print-key" data-status={s}>
                <span className="bc-print-swatch" style={{ background: palette[s] ?? '#cccccc', color: textOn(palette[s] ?? '#cccccc') }}>
                  {codes[s]}
                </span>
                {t('board.print.codeLegend', { code: codes[s], status: t(`board.status.${s}`) })} · {t('board.legend.count', { count: counts.get(s) ?? 0 })}
              </span>
            ))}
          </div>
          <div className="bc-print-grid" style={{ zoom }}>
            <BoardGrid buildings={list} units={mine} palette={palette} priceOf={priceOf} cellUnits={cellUnits} floorLabel={floorLabel} codes={codes} />
          </div>
        </section>
      ))}
    </div>,
    document.body,
  )
}
