import { useTranslation } from 'react-i18next'
import { textOn } from '@shared/domain/contrast'
import { UnitStatus } from '@shared/domain/unit-status'
import { sqm, wan } from './format'

export interface Totals {
  status: UnitStatus
  count: number
  area: number
  amount: number
}

interface LegendProps {
  totals: Totals[]
  palette: Record<string, string>
  big?: boolean
  /** the status shown alone, null = all (with onPick only) */
  picked?: UnitStatus | null
  /** makes each status a toggle: click or Enter shows only its units, again shows all */
  onPick?(status: UnitStatus | null): void
}

/**
 * Colour, count, area and amount per status, in the sales-chain order, with a total. With
 * `onPick` every entry is a button (keyboard: Tab, Enter or Space) that filters the board.
 */
export function Legend({ totals, palette, big, picked = null, onPick }: LegendProps) {
  const { t } = useTranslation()
  const by = new Map(totals.map((x) => [x.status, x]))
  const all = totals.reduce((a, x) => ({ count: a.count + x.count, area: a.area + x.area, amount: a.amount + x.amount }), { count: 0, area: 0, amount: 0 })
  const Item = onPick ? 'button' : 'div'
  const itemProps = (status: UnitStatus | null) =>
    onPick ? { type: 'button' as const, 'aria-pressed': picked === status, onClick: () => onPick(status === null || picked === status ? null : status) } : {}
  const numbers = (x: { count: number; area: number; amount: number }) => (
    <>
      <span className="bc-legend-num">{t('board.legend.count', { count: x.count })}</span>
      <span className="bc-legend-sub">{t('board.legend.area', { area: sqm(x.area) })}</span>
      <span className="bc-legend-sub">{t('board.legend.amount', { amount: wan(x.amount) })}</span>
    </>
  )
  return (
    <div
      className={`${big ? 'bc-legend bc-legend-big' : 'bc-legend'}${onPick ? ' bc-legend-filter' : ''}`}
      data-testid="board-legend"
      role={onPick ? 'group' : undefined}
      aria-label={onPick ? t('board.legendFilter.hint') : undefined}
      title={onPick ? t('board.legendFilter.hint') : undefined}
    >
      {UnitStatus.options.map((s) => {
        const x = by.get(s) ?? { count: 0, area: 0, amount: 0 }
        const color = palette[s] ?? '#cccccc'
        return (
          <Item key={s} className={picked !== null && picked !== s ? 'bc-legend-item bc-legend-off' : 'bc-legend-item'} data-status={s} {...itemProps(s)}>
            <span className="bc-swatch" style={{ background: color, color: textOn(color) }}>
              {t(`board.status.${s}`)}
            </span>
            {numbers(x)}
          </Item>
        )
      })}
      <Item className="bc-legend-item bc-legend-total" {...itemProps(null)}>
        <span className="bc-swatch bc-swatch-total">{onPick && picked !== null ? t('board.legendFilter.all') : t('board.legend.total')}</span>
        {numbers(all)}
      </Item>
    </div>
  )
}
