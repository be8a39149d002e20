import { DatePicker, Segmented, Space } from 'antd'
import type { Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import { PeriodKind, type PeriodKind as Kind } from '@shared/domain/kpi'

export type DayRange = [Dayjs, Dayjs]

/** 本周 / 本月 / 本季度 / 自定义, with the first and last day for a custom period. */
export function PeriodPicker({ kind, range, onKind, onRange }: { kind: Kind; range: DayRange | null; onKind: (k: Kind) => void; onRange: (r: DayRange) => void }) {
  const { t } = useTranslation()
  return (
    <Space wrap>
      <Segmented<Kind>
        aria-label={t('reports.period.label')}
        value={kind}
        onChange={onKind}
        options={PeriodKind.options.map((k) => ({ value: k, label: t(`reports.period.${k}`) }))}
      />
      {kind === 'custom' && (
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          aria-label={t('reports.period.pickRange')}
          onChange={(v) => {
            if (v?.[0] && v[1]) onRange([v[0], v[1]])
          }}
        />
      )}
    </Space>
  )
}
