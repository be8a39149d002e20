import { useTranslation } from 'react-i18next'
import { UnitStatus } from '@shared/domain/unit-status'
import { textOn } from '@shared/domain/contrast'
import { sqm, wan } from './format'

export interface Totals {
  status: UnitStatus
  count: number
  area: number
  amount: number
}

/** Colour, count, area and amount per status, in the sales-chain order, with a total. */
export function Legend({ totals, palette, big }: { totals: Totals[]; palette: Record<string, string>; big?: boolean }) {
  const { t } = useTranslation()
  const by = new Map(totals.map((x) => [x.status, x]))
  const all = totals.reduce((a, x) => ({ count: a.count + x.count, area: a.area + x.area, amount: a.amount + x.amount }), { count: 0, area: 0, amount: 0 })
  return (
    <div className={big ? 'bc-legend bc-legend-big' : 'bc-legend'} data-testid="board-legend">
      {UnitStatus.options.map((s) => {
        const x = by.get(s) ?? { count: 0, area: 0, amount: 0 }
        const color = palette[s] ?? '#ccc'
        return (
          <div key={s} className="bc-legend-item" data-status={s}>
            <span className="bc-swatch" style={{ background: color, color: textOn(color) }}>
              {t(`board.status.${s}`)}
            </span>
            <span className="bc-legend-num">{t('board.legend.count', { count: x.count })}</span>
            <span className="bc-legend-sub">{t('board.legend.area', { area: sqm(x.area) })}</span>
            <span className="bc-legend-sub">{t('board.legend.amount', { amount: wan(x.amount) })}</span>
          </div>
        )
      })}
      <div className="bc-legend-item bc-legend-total">
        <span className="bc-swatch bc-swatch-total">{t('board.legend.total')}</span>
        <span className="bc-legend-num">{t('board.legend.count', { count: all.count })}</span>
        <span className="bc-legend-sub">{t('board.legend.area', { area: sqm(all.area) })}</span>
        <span className="bc-legend-sub">{t('board.legend.amount', { amount: wan(all.amount) })}</span>
      </div>
    </div>
  )
}
