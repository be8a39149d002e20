import { CheckCircleOutlined, CloseCircleOutlined, MinusCircleOutlined } from '@ant-design/icons'
import { Card, Tag, Tooltip, Typography } from 'antd'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { KpiFigure } from '@shared/contract/reports'
import { kpiMet, type KpiId } from '@shared/domain/kpi'
import { EChart, type ChartOption } from './echart'
import { formatKpi, formatTarget, round1 } from './kpi-format'

/** Met, not met, or nothing to judge: as a word with an icon, never by colour alone. */
export function MetTag({ met }: { met: boolean | null }) {
  const { t } = useTranslation()
  if (met === null) return <Tag icon={<MinusCircleOutlined />}>{t('reports.noData')}</Tag>
  return met ? (
    <Tag icon={<CheckCircleOutlined />} color="success" className="reports-met">
      {t('reports.met')}
    </Tag>
  ) : (
    <Tag icon={<CloseCircleOutlined />} color="error" className="reports-not-met">
      {t('reports.notMet')}
    </Tag>
  )
}

/** One KPI: its value, target, whether it is met, and its last periods as labelled bars under a dashed target line. */
export function KpiCard({ id, figure, target, trend }: { id: KpiId; figure: KpiFigure; target: number; trend: Array<{ label: string; value: number | null }> }) {
  const { t } = useTranslation()
  const name = t(`reports.kpi.${id}`)
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      // patterns on the bars (aria decals), labels on every bar, a dashed labelled target: readable in black and white
      aria: { enabled: true, decal: { show: true } },
      color: ['#595959'],
      grid: { left: 8, right: 48, top: 22, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: trend.map((p) => p.label), axisLabel: { fontSize: 10, color: '#000' } },
      yAxis: { type: 'value', show: false, max: (v: { max: number }) => Math.max(v.max, target) * 1.15 },
      series: [
        {
          type: 'bar',
          name,
          barMaxWidth: 22,
          data: trend.map((p) => (p.value === null ? null : round1(p.value))),
          label: { show: true, position: 'top', fontSize: 10, color: '#000' },
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { type: 'dashed', color: '#000', width: 1 },
            label: { formatter: `${t('reports.target')}\n${round1(target)}`, fontSize: 10, color: '#000', position: 'end' },
            data: [{ yAxis: target }],
          },
        },
      ],
    }),
    [trend, target, name, t],
  )
  return (
    <Card size="small" className="reports-kpi-card" data-kpi={id} title={<Tooltip title={t(`reports.kpiHint.${id}`)}>{name}</Tooltip>} extra={<MetTag met={kpiMet(id, figure.value, target)} />}>
      <div className="reports-kpi-value">{formatKpi(t, id, figure.value)}</div>
      <Typography.Text type="secondary" className="reports-kpi-target">
        {formatTarget(t, id, target)}
        {figure.den > 0 && id !== 'responseHours' ? ` · ${t('reports.fraction', { num: round1(figure.num), den: figure.den })}` : ''}
      </Typography.Text>
      <div className="reports-kpi-trend-title">{t('reports.trend')}</div>
      <EChart option={option} height={110} label={`${name} ${t('reports.trend')}`} />
    </Card>
  )
}
