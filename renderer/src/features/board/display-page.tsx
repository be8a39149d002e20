import { Button, Empty, Spin } from 'antd'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useApi } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { BoardGrid } from './board-grid'
import { boardErrorText, cellUnitsOf } from './format'
import { Legend } from './legend'

const REFRESH_MS = 30_000

/** The lobby screen: the last published board only (never live data, never client names), full screen, refreshed every 30 s. */
export function DisplayPage({ projectId }: { projectId: number }) {
  const { t } = useTranslation()
  const api = useApi()
  const [board, setBoard] = useState<OutputOf<'board.published'> | null>(null)
  const [error, setError] = useState<string | null>(null)

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

  const floorLabel = useCallback((f: number) => `${f}F`, [])
  const cellUnits = useMemo(() => cellUnitsOf(t), [t])

  return (
    <div className="bc-display" data-testid="board-display">
      <header className="bc-display-head">
        <h1>{board ? t('board.display.title', { project: board.project.name }) : ''}</h1>
        <div className="bc-display-meta">
          {board?.publishedAt && <span>{t('board.display.publishedAt', { at: formatBranchTime(board.publishedAt) })}</span>}
          <span>{t('board.display.refresh')}</span>
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
          <BoardGrid buildings={board.buildings} units={board.units} palette={board.palette} big floorLabel={floorLabel} cellUnits={cellUnits} />
        </>
      )}
    </div>
  )
}
