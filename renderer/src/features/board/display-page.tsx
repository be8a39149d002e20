import { Button, Empty, Select, Spin } from 'antd'
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useApi } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { BoardGrid } from './board-grid'
import { boardErrorText, cellUnitsOf } from './format'
import { Legend } from './legend'

const REFRESH_MS = 30_000
/** How long each building stays on the lobby screen; kept per screen (the lobby PC's own choice). */
const CYCLE_KEY = 'keyuan.board.displaySeconds'
const CYCLE_CHOICES = [10, 20, 30, 60] as const
const CYCLE_DEFAULT = 20
/** A building is scaled to fill the screen below the legend, up to this (a small one on a big TV). */
const MAX_ZOOM = 2

/** Scales the one building shown in `box` so all its floors fit the screen (no scrolling on a lobby TV). */
function fitBuilding(box: HTMLElement): void {
  box.style.zoom = '1'
  const section = box.querySelector<HTMLElement>('section.bc-building:not(.bc-off)')
  if (!section) return
  const room = section.getBoundingClientRect()
  const top = box.getBoundingClientRect().top
  const zoom = Math.min(MAX_ZOOM, (window.innerHeight - top - 16) / room.height, (window.innerWidth - 48) / room.width)
  box.style.zoom = String(Math.max(0.3, zoom))
}

/** The lobby PC's cycle in seconds (0 = stay on one building): what it chose before, else 20 s. */
function storedCycleSeconds(stored: string | null): number {
  const n = Number(stored)
  return stored !== null && (n === 0 || (CYCLE_CHOICES as readonly number[]).includes(n)) ? n : CYCLE_DEFAULT
}

/**
 * The lobby screen: the last published board only (never live data, never client names), full
 * screen, refreshed every 30 s. One building at a time, the next every few seconds (← → by hand).
 */
export function DisplayPage({ projectId }: { projectId: number }) {
  const { t } = useTranslation()
  const api = useApi()
  const [board, setBoard] = useState<OutputOf<'board.published'> | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [index, setIndex] = useState(0)
  const [seconds, setSeconds] = useState(() => storedCycleSeconds(localStorage.getItem(CYCLE_KEY)))
  const fit = useRef<HTMLDivElement>(null)

  useEffect(() => {
    document.body.classList.add('bc-display-mode')
    return () => document.body.classList.remove('bc-display-mode')
  }, [])

  const load = useCallback(async () => {
    const r = await api.try('board.published', { projectId })
    if (r.ok) {
      setBoard(r.value)
      setError(null)
    } else setError(boardErrorText(t, r.error))
  }, [api, projectId, t])

  useEffect(() => {
    void load()
    const timer = setInterval(() => void load(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [load])

  const count = board?.buildings.length ?? 0
  const step = useCallback((by: number) => setIndex((i) => (count === 0 ? 0 : (i + by + count) % count)), [count])
  useEffect(() => {
    if (seconds === 0 || count < 2) return
    const timer = setInterval(() => step(1), seconds * 1000)
    return () => clearInterval(timer)
  }, [seconds, count, step, index])
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLElement && e.target.closest('.ant-select')) return
      if (e.key === 'ArrowRight') step(1)
      else if (e.key === 'ArrowLeft') step(-1)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [step])

  // the board's own floor labels ("12 层"), not a shorthand of the lobby's own
  const floorLabel = useCallback((f: number) => t('board.floor', { floor: f }), [t])
  const cellUnits = useMemo(() => cellUnitsOf(t), [t])
  const current = board && count > 0 ? board.buildings[Math.min(index, count - 1)]! : null
  // after the grid has shown the building (its layout effect runs first), and when the window changes size
  useLayoutEffect(() => {
    const box = fit.current
    if (!box) return
    fitBuilding(box)
    const onResize = () => fitBuilding(box)
    window.addEventListener('resize', onResize)
    return () => window.removeEventListener('resize', onResize)
  }, [current?.id, board])

  return (
    <div className="bc-display" data-testid="board-display">
      <header className="bc-display-head">
        <h1>{board ? t('board.display.title', { project: board.project.name }) : ''}</h1>
        <div className="bc-display-meta">
          {board?.publishedAt && <span>{t('board.display.publishedAt', { at: formatBranchTime(board.publishedAt) })}</span>}
          <span>{t('board.display.refresh')}</span>
          <Select
            size="small"
            className="bc-display-cycle"
            aria-label={t('board.display.cycle')}
            value={seconds}
            onChange={(v: number) => {
              setSeconds(v)
              localStorage.setItem(CYCLE_KEY, String(v))
            }}
            options={[...CYCLE_CHOICES.map((s) => ({ value: s, label: t('board.display.every', { seconds: s }) })), { value: 0, label: t('board.display.noCycle') }]}
            data-testid="display-cycle"
          />
          <Button size="small" ghost onClick={() => navigate(`/board/${projectId}`)} className="bc-display-exit">
            {t('board.display.exit')}
          </Button>
        </div>
      </header>
      {error && <div className="bc-display-error">{error}</div>}
      {!board && !error && <Spin size="large" />}
      {board && !board.publishedAt && <Empty description={<span style={{ color: '#ddd' }}>{t('board.display.nothing')}</span>} />}
      {board?.publishedAt && (
        <>
          <Legend totals={board.totals} palette={board.palette} big />
          {current && (
            <div className="bc-display-building" data-testid="display-building" data-building={current.id}>
              <span>{t('board.display.building', { building: current.name, index: Math.min(index, count - 1) + 1, count })}</span>
              {count > 1 && <span className="bc-display-keys">{t('board.display.keys')}</span>}
            </div>
          )}
          <div ref={fit} className="bc-display-fit">
            <BoardGrid buildings={board.buildings} units={board.units} palette={board.palette} big floorLabel={floorLabel} cellUnits={cellUnits} only={current?.id ?? null} />
          </div>
        </>
      )}
    </div>
  )
}
