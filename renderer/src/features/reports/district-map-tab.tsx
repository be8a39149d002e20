import { Alert, Empty, Radio, Space, Spin, Table, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiClient } from '@shared/contract/client'
import { districtTable, tilesGeoJson, type DistrictFigures } from '@shared/domain/district-map'
import type { Period } from '@shared/domain/kpi'
import { errorText } from '../../i18n/error-text'
import { ExportTable, useReport } from './branch-reports'
import { EChart, registerMap, type ChartOption } from './echart'

const loadDistricts = (api: ApiClient, p: Period) => api.try('reports.districts', p)
const METRICS = ['clients', 'newClients', 'deals', 'highWealth'] as const
type Metric = (typeof METRICS)[number]
/** The name the squares are registered under (re-registered when the districts change). */
const MAP = 'keyuan-districts'

/**
 * 客户地图: the chosen figure per district on the city's schematic tile map (greys as deep as the
 * figure, the number on each square, so it prints in black and white), the table behind it beside;
 * the figure to shade by is a radio group (keyboard), the table holds every number.
 */
export function DistrictsTab({ period }: { period: Period }) {
  const { t } = useTranslation()
  const { data, problem } = useReport(period, loadDistricts)
  const [metric, setMetric] = useState<Metric>('clients')
  const rows = useMemo(() => (data ? districtTable(data).map((r) => ({ ...r, key: r.name ?? '' })) : []), [data])
  const option = useMemo<ChartOption | null>(() => {
    if (!data) return null
    registerMap(MAP, tilesGeoJson(data.tiles))
    const most = Math.max(1, ...data.tiles.map((d) => d[metric]))
    return {
      animation: false,
      tooltip: { trigger: 'item' },
      visualMap: { min: 0, max: most, show: false, inRange: { color: ['#ffffff', '#8c8c8c'] } },
      series: [
        {
          type: 'map',
          map: MAP,
          roam: false,
          selectedMode: false,
          aspectScale: 1,
          label: { show: true, color: '#000', textBorderColor: '#fff', textBorderWidth: 3, fontSize: 12, formatter: (p: { name: string; value?: number }) => `${p.name}\n${Number.isFinite(p.value) ? p.value : 0}` },
          emphasis: { label: { color: '#000' }, itemStyle: { areaColor: '#d9d9d9' } },
          itemStyle: { borderColor: '#000', borderWidth: 1 },
          data: data.tiles.map((d) => ({ name: d.name, value: d[metric], itemStyle: d.inCity ? {} : { borderType: 'dashed' } })),
        },
      ],
    }
  }, [data, metric])
  const metricName = (m: keyof DistrictFigures) => t(`reports.districts.${m}`)

  if (problem) return <Alert type="error" showIcon message={t('reports.loadFailed', { text: errorText(t, problem) })} />
  if (!data || !option) return <Spin />
  const rowsOfCity = data.tiles.some((d) => !d.inCity) ? 7 + Math.ceil(data.tiles.filter((d) => !d.inCity).length / 5) : 5
  return (
    <>
      <Space className="reports-toolbar" wrap>
        <Typography.Text id="districts-metric">{t('reports.districts.metric')}</Typography.Text>
        <Radio.Group aria-labelledby="districts-metric" value={metric} onChange={(e) => setMetric(e.target.value as Metric)} optionType="button" options={METRICS.map((m) => ({ value: m, label: metricName(m) }))} />
        <ExportTable report="districts" period={period} />
      </Space>
      <div className="reports-districts">
        <div className="reports-districts-map">
          <EChart option={option} height={Math.min(720, 90 * rowsOfCity)} label={t('reports.districts.chart', { metric: metricName(metric) })} />
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
