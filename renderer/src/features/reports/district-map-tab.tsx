import { Alert, Empty, Radio, Space, Spin, Table, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiClient } from '@shared/contract/client'
import { districtsGeoJson, otherRows } from '@shared/domain/district-geo'
import { districtTable, type DistrictFigures } from '@shared/domain/district-map'
import { errorText } from '../../i18n/error-text'
import { ExportTable, useReport } from './branch-reports'
import { EChart, registerMap, type ChartOption } from './echart'
import { byClients, type ReportQuery } from './report-query'

const loadDistricts = (api: ApiClient, q: ReportQuery) => api.try('reports.districts', byClients(q))
const METRICS = ['clients', 'newClients', 'deals', 'highWealth'] as const
type Metric = (typeof METRICS)[number]
/** The name the outlines are registered under (re-registered when the other districts change). */
const MAP = 'keyuan-districts'
/** The small districts of the city centre: their name and figure on one line, smaller, so neighbours' labels do not cover each other. */
const CENTRE = new Set(['黄浦', '静安', '虹口', '长宁', '徐汇', '普陀', '杨浦'])
const figureOf = (p: { value?: number }) => (Number.isFinite(p.value) ? p.value : 0)

/**
 * 客户地图: the chosen figure per district on the city's bundled district outlines (greys as deep
 * as the figure, with their scale, the name and number on each, so it prints in black and white),
 * districts of another city as dashed squares below, the table behind it beside; the figure to
 * shade by is a radio group (keyboard), the table holds every number.
 */
export function DistrictsTab({ period }: { period: ReportQuery }) {
  const { t } = useTranslation()
  const { data, problem } = useReport(period, loadDistricts)
  const [metric, setMetric] = useState<Metric>('clients')
  const rows = useMemo(() => (data ? districtTable(data).map((r) => ({ ...r, key: r.name ?? '' })) : []), [data])
  const option = useMemo<ChartOption | null>(() => {
    if (!data) return null
    registerMap(MAP, districtsGeoJson(data.districts))
    const most = Math.max(1, ...data.districts.map((d) => d[metric]))
    return {
      animation: false,
      tooltip: { trigger: 'item' },
      visualMap: { min: 0, max: most, show: true, calculable: false, orient: 'horizontal', left: 0, bottom: 0, itemWidth: 12, itemHeight: 120, text: [String(most), '0'], textStyle: { color: '#000' }, inRange: { color: ['#ffffff', '#595959'] } },
      series: [
        {
          type: 'map',
          map: MAP,
          roam: false,
          selectedMode: false,
          aspectScale: 0.86,
          layoutCenter: ['50%', '48%'],
          layoutSize: '96%',
          label: { show: true, color: '#000', textBorderColor: '#fff', textBorderWidth: 2, fontSize: 10, lineHeight: 12, formatter: (p: { name: string; value?: number }) => `${p.name}\n${figureOf(p)}` },
          emphasis: { label: { color: '#000' }, itemStyle: { areaColor: '#d9d9d9' } },
          itemStyle: { borderColor: '#000', borderWidth: 1 },
          data: data.districts.map((d) => ({
            name: d.name,
            value: d[metric],
            itemStyle: d.inCity ? {} : { borderType: 'dashed' },
            ...(CENTRE.has(d.name) ? { label: { fontSize: 8, lineHeight: 9, formatter: (p: { name: string; value?: number }) => `${p.name}${figureOf(p)}` } } : {}),
          })),
        },
      ],
    }
  }, [data, metric])
  const metricName = (m: keyof DistrictFigures) => t(`reports.districts.${m}`)

  if (problem) return <Alert type="error" showIcon message={t('reports.loadFailed', { text: errorText(t, problem) })} />
  if (!data || !option) return <Spin />
  return (
    <>
      <Space className="reports-toolbar" wrap>
        <Typography.Text id="districts-metric">{t('reports.districts.metric')}</Typography.Text>
        <Radio.Group aria-labelledby="districts-metric" value={metric} onChange={(e) => setMetric(e.target.value as Metric)} optionType="button" options={METRICS.map((m) => ({ value: m, label: metricName(m) }))} />
        <ExportTable report="districts" period={byClients(period)} />
      </Space>
      <div className="reports-districts">
        <div className="reports-districts-map">
          <EChart option={option} height={640 + 60 * Math.min(4, otherRows(data.districts))} label={t('reports.districts.chart', { metric: metricName(metric) })} />
          <Typography.Text type="secondary" className="reports-districts-note">
            {t('reports.districts.note')}
          </Typography.Text>
        </div>
        <div className="reports-districts-table">
          {rows.length === 0 ? (
            <Empty description={t('reports.emptyPeriod')} />
          ) : (
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={rows}
              columns={[
                { key: 'name', title: t('reports.districts.district'), render: (_, r) => r.name ?? t('reports.districts.noDistrict') },
                ...METRICS.map((m) => ({ key: m, title: metricName(m), dataIndex: m, align: 'right' as const })),
              ]}
            />
          )}
        </div>
      </div>
    </>
  )
}
