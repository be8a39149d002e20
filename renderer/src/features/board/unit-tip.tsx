import { forwardRef, useImperativeHandle, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { sqm, timeLeft, wan, yuan, yuanPerSqm } from './format'
import type { BoardUnit } from './use-board'

export interface UnitTipHandle {
  show(unit: BoardUnit | null, x: number, y: number): void
}

/** The one hover card of the board (its own state, so hovering never repaints the grid). */
export const UnitTip = forwardRef<UnitTipHandle, { buildingName(id: number): string }>(function UnitTip({ buildingName }, ref) {
  const { t } = useTranslation()
  const [tip, setTip] = useState<{ unit: BoardUnit; x: number; y: number } | null>(null)
  useImperativeHandle(ref, () => ({ show: (unit, x, y) => setTip(unit ? { unit, x, y } : null) }), [])
  if (!tip) return null
  const { unit: u } = tip
  const left = Math.min(tip.x + 14, window.innerWidth - 260)
  const top = Math.min(tip.y + 14, window.innerHeight - 240)
  const remaining = u.status === 'small_deposit' && u.tx?.expiresAt ? timeLeft(u.tx.expiresAt) : undefined
  const row = (label: string, value: string) => (
    <div className="bc-tip-row">
      <span>{label}</span>
      <b>{value}</b>
    </div>
  )
  return (
    <div className="bc-tip" style={{ left, top }} role="tooltip" data-testid="unit-tip">
      <div className="bc-tip-title">
        {buildingName(u.buildingId)} {u.number}
      </div>
      {row(t('board.tip.status'), t(`board.status.${u.status}`))}
      {row(t('board.filter.layout'), `${u.layout ?? '—'} · ${t('board.sqmShort', { v: sqm(u.area) })}${u.orientation ? ` · ${u.orientation}` : ''}`)}
      {row(t('board.tip.listPrice'), `${t('board.wan', { v: wan(u.listPrice) })} · ${t('board.yuanPerM2', { v: yuanPerSqm(u.unitPrice) })}`)}
      {u.tx?.clientName ? row(t('board.tip.client'), u.tx.clientName) : null}
      {u.tx?.agentName ? row(t('board.tip.agent'), u.tx.agentName) : null}
      {u.tx?.reason ? row(t('board.tip.reason'), u.tx.reason) : null}
      {u.tx && u.tx.clientId !== null ? row(t('board.tip.price'), t('board.wan', { v: wan(u.tx.price) })) : null}
      {u.tx && u.tx.clientId !== null ? row(t('board.tip.paid'), t('board.yuan', { v: yuan(u.tx.paid) })) : null}
      {remaining !== undefined ? row(t('board.tip.expires'), remaining ? t('board.countdown', remaining) : t('board.tip.expired')) : null}
      {u.tags.length > 0 ? row(t('board.tip.tags'), u.tags.join(t('common.listSeparator'))) : null}
    </div>
  )
})
