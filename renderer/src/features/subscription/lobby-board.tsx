import { Typography } from 'antd'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import { useApi } from '../../api/session-context'
import { BoardGrid } from '../board/board-grid'
import { cellUnitsOf } from '../board/format'

/**
 * The lobby display's board (issue #21 item 3): the board the manager last published (never client
 * names), cut to the event's units in play, with the event's picks shown 认购 as they happen, so the
 * room sees a unit go without waiting for the next publish. Read again whenever the picks change.
 */
export function LobbyBoard({ projectId, unitIds, picked }: { projectId: number; unitIds: readonly number[]; picked: readonly number[] }) {
  const { t } = useTranslation()
  const api = useApi()
  const [board, setBoard] = useState<OutputOf<'board.published'> | null>(null)
  // the picks as one value: the poll hands a new array each time, the board is read again only when they change
  const pickedKey = picked.join(',')
  useEffect(() => {
    let live = true
    void api.try('board.published', { projectId }).then((r) => {
      if (live && r.ok) setBoard(r.value)
    })
    return () => {
      live = false
    }
  }, [api, projectId, pickedKey])
  const units = useMemo(() => {
    if (!board) return []
    const inPlay = new Set(unitIds)
    const sold = new Set(pickedKey === '' ? [] : pickedKey.split(',').map(Number))
    // a pick is a 认购 at once on the lobby, whatever the published board said
    return board.units.filter((u) => inPlay.has(u.id)).map((u) => (sold.has(u.id) ? { ...u, status: 'subscribe' as const } : u))
  }, [board, unitIds, pickedKey])
  const floorLabel = useCallback((f: number) => t('board.floor', { floor: f }), [t])
  const cellUnits = useMemo(() => cellUnitsOf(t), [t])
  if (!board) return null
  if (!board.publishedAt) return <Typography.Paragraph type="secondary">{t('subscription.lobby.noBoard')}</Typography.Paragraph>
  const buildings = board.buildings.filter((b) => units.some((u) => u.buildingId === b.id))
  return (
    <div className="sub-lobby-board" data-testid="lobby-board">
      <BoardGrid buildings={buildings} units={units} palette={board.palette} big floorLabel={floorLabel} cellUnits={cellUnits} label={t('subscription.lobby.board')} />
    </div>
  )
}
