import { Alert, Empty, Spin, Table } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'
import { lostReasonText } from '../../i18n/shipped-words'
import { ExportTable } from './branch-reports'
import { EChart, type ChartOption } from './echart'
import { byClients, type ReportQuery } from './report-query'

interface Row {
  reason: string
  count: number
}

/** 流失原因: clients marked lost in the period by reason, as labelled patterned bars and the table behind them. */
export function LostReasonsTab({ period }: { period: ReportQuery }) {
  const { t } = useTranslation()
  const api = useApi()
  const [rows, setRows] = useState<Row[] | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  useEffect(() => {
    void api.try('reports.lostReasons', byClients(period)).then((r) => {
      if (!r.ok) return setProblem(r.error)
      setProblem(null)
      setRows(r.value.reasons.map((x) => ({ reason: lostReasonText(t, x.reason), count: x.count })))
    })
  }, [api, period, t])

  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      aria: { enabled: true, decal: { show: true } },
      color: ['#595959'],
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#000' } },
      yAxis: { type: 'category', inverse: true, data: (rows ?? []).map((r) => r.reason), axisLabel: { color: '#000' } },
      series: [{ type: 'bar', name: t('reports.lost.count'), barMaxWidth: 24, data: (rows ?? []).map((r) => r.count), label: { show: true, position: 'right', color: '#000' } }],
    }),
    [rows, t],
  )

  if (problem) return <Alert type="error" showIcon message={t('reports.loadFailed', { text: errorText(t, problem) })} />
  if (!rows) return <Spin />
  if (rows.length === 0) return <Empty description={t('reports.lost.empty')} />
  return (
    <div className="reports-lost">
      <ExportTable report="lostReasons" period={byClients(period)} />
      <EChart option={option} height={Math.max(160, rows.length * 36)} label={t('reports.lost.chartTitle')} />
      <Table<Row>
        size="small"
        rowKey="reason"
        pagination={false}
        dataSource={rows}
        columns={[
          { key: 'reason', title: t('reports.lost.reason'), dataIndex: 'reason' },
          { key: 'count', title: t('reports.lost.count'), dataIndex: 'count', align: 'right' },
        ]}
      />
    </div>
  )
}
