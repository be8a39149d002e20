import { Alert, Empty, Spin, Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiClient } from '@shared/contract/client'
import type { ApiErrorShape, Result } from '@shared/contract/common'
import type { ReportTableName } from '@shared/contract/export'
import type { Period } from '@shared/domain/kpi'
import { useApi } from '../../api/session-context'
import { errorText, roleName } from '../../i18n/error-text'
import { ExportButton } from '../export/export-button'
import { EChart, type ChartOption } from './echart'
import { byClients, bySubject, type ReportQuery } from './report-query'

/** Greys and decal patterns tell the series apart on paper; each bar carries its value. */
export const GREYS = ['#262626', '#8c8c8c', '#595959', '#bfbfbf']
export const BASE: ChartOption = { animation: false, aria: { enabled: true, decal: { show: true } }, color: GREYS, tooltip: { trigger: 'axis' } }
export const label = { show: true, position: 'top', fontSize: 10, color: '#000' }

/** One report's answer for the period (and filter), or the problem loading it; `load` is a module-level function (stable). */
export function useReport<T, Q extends Period = Period>(period: Q, load: (api: ApiClient, p: Q) => Promise<Result<T>>): { data: T | null; problem: ApiErrorShape | null } {
  const api = useApi()
  const [data, setData] = useState<T | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  useEffect(() => {
    void load(api, period).then((r) => {
      if (!r.ok) return setProblem(r.error)
      setProblem(null)
      setData(r.value)
    })
  }, [api, period, load])
  return { data, problem }
}

/** 导出 of one report table for the period and filter on screen (the export checks the role and scope, as the report does). */
export function ExportTable({ report, period, projectId }: { report: ReportTableName; period: ReportQuery; projectId?: number | undefined }) {
  return (
    <div className="reports-export">
      <ExportButton request={{ grid: 'report', query: { report, ...period, ...(projectId ? { projectId } : {}) } }} />
    </div>
  )
}

const loadFunnel = (api: ApiClient, q: ReportQuery) => api.try('reports.funnel', byClients(q))
const loadFollowUps = (api: ApiClient, q: ReportQuery) => api.try('reports.followUpsVsDeals', bySubject(q))
const loadSla = (api: ApiClient, q: ReportQuery) => api.try('reports.sla', bySubject(q))
const loadPool = (api: ApiClient, q: ReportQuery) => api.try('reports.pool', bySubject(q))

/** A report's chart above the table behind it. */
export function ChartAndTable<R extends object>({ problem, loaded, empty, option, chartLabel, rows, columns, rowKey }: {
  problem: ApiErrorShape | null
  loaded: boolean
  empty: boolean
  option: ChartOption
  chartLabel: string
  rows: R[]
  columns: ColumnsType<R>
  rowKey: keyof R & string
}) {
  const { t } = useTranslation()
  if (problem) return <Alert type="error" showIcon message={t('reports.loadFailed', { text: errorText(t, problem) })} />
  if (!loaded) return <Spin />
  if (empty) return <Empty description={t('reports.emptyPeriod')} />
  return (
    <div className="reports-report">
      <EChart option={option} height={260} label={chartLabel} />
      <Table<R> size="small" rowKey={rowKey} pagination={false} dataSource={rows} columns={columns} />
    </div>
  )
}

/** 客户漏斗: clients at each stage in the period. */
export function FunnelTab({ period }: { period: ReportQuery }) {
  const { t } = useTranslation()
  const { data, problem } = useReport(period, loadFunnel)
  const rows = useMemo(() => (data?.stages ?? []).map((s) => ({ ...s, name: t(`clients.enums.stage.${s.stage}`) })), [data, t])
  const option = useMemo<ChartOption>(
    () => ({ ...BASE, grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true }, xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), axisLabel: { color: '#000' } }, series: [{ type: 'bar', name: t('reports.funnel.clients'), data: rows.map((r) => r.clients), label: { ...label, position: 'right' }, barMaxWidth: 28 }] }),
    [rows, t],
  )
  return (
    <>
      <ExportTable report="funnel" period={byClients(period)} />
      <ChartAndTable problem={problem} loaded={data !== null} empty={rows.every((r) => r.clients === 0)} option={option} chartLabel={t('reports.tabs.funnel')} rows={rows} rowKey="stage"
        columns={[{ key: 'name', title: t('reports.funnel.stage'), dataIndex: 'name' }, { key: 'clients', title: t('reports.funnel.clients'), dataIndex: 'clients', align: 'right' }]} />
    </>
  )
}

/** 跟进与成交: each agent's contacts beside their deals. */
export function FollowUpsDealsTab({ period }: { period: ReportQuery }) {
  const { t } = useTranslation()
  const { data, problem } = useReport(period, loadFollowUps)
  const rows = data?.agents ?? []
  const option = useMemo<ChartOption>(
    () => ({ ...BASE, legend: {}, grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true }, xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { color: '#000' } }, yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('reports.followUps.followUps'), data: rows.map((r) => r.followUps), label }, { type: 'bar', name: t('reports.followUps.deals'), data: rows.map((r) => r.deals), label }] }),
    [rows, t],
  )
  return (
    <>
      <ExportTable report="followUps" period={bySubject(period)} />
      <ChartAndTable problem={problem} loaded={data !== null} empty={rows.every((r) => r.followUps === 0 && r.deals === 0)} option={option} chartLabel={t('reports.tabs.followUps')} rows={rows} rowKey="staffId"
        columns={[
          { key: 'name', title: t('reports.agent'), dataIndex: 'name' },
          { key: 'team', title: t('reports.team'), render: (_, r) => r.team ?? t('reports.noTeam') },
          { key: 'followUps', title: t('reports.followUps.followUps'), dataIndex: 'followUps', align: 'right' },
          { key: 'deals', title: t('reports.followUps.deals'), dataIndex: 'deals', align: 'right' },
          { key: 'per', title: t('reports.followUps.perDeal'), align: 'right', render: (_, r) => (r.deals > 0 ? Math.round((r.followUps / r.deals) * 10) / 10 : '—') },
        ]} />
    </>
  )
}

const SLA_KEYS = ['onTime', 'late', 'overdue', 'escalated'] as const

/** 任务时效: each agent's tasks due in the period, by how they went. */
export function SlaTab({ period }: { period: ReportQuery }) {
  const { t } = useTranslation()
  const { data, problem } = useReport(period, loadSla)
  const rows = data?.agents ?? []
  const option = useMemo<ChartOption>(
    () => ({ ...BASE, legend: {}, grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true }, xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { color: '#000' } }, yAxis: { type: 'value', minInterval: 1 },
      series: SLA_KEYS.map((k) => ({ type: 'bar', name: t(`reports.sla.${k}`), data: rows.map((r) => r[k]), label })) }),
    [rows, t],
  )
  return (
    <>
      <ExportTable report="sla" period={bySubject(period)} />
      <ChartAndTable problem={problem} loaded={data !== null} empty={rows.every((r) => SLA_KEYS.every((k) => r[k] === 0))} option={option} chartLabel={t('reports.tabs.sla')} rows={rows} rowKey="staffId"
        columns={[
          { key: 'name', title: t('reports.agent'), dataIndex: 'name' },
          { key: 'team', title: t('reports.team'), render: (_, r) => r.team ?? t('reports.noTeam') },
          ...SLA_KEYS.map((k) => ({ key: k, title: t(`reports.sla.${k}`), dataIndex: k, align: 'right' as const })),
        ]} />
    </>
  )
}

/** 公客池: entries and claims per day. */
export function PoolTab({ period }: { period: ReportQuery }) {
  const { t } = useTranslation()
  const { data, problem } = useReport(period, loadPool)
  const rows = data?.days ?? []
  const option = useMemo<ChartOption>(
    () => ({ ...BASE, legend: {}, grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true }, xAxis: { type: 'category', data: rows.map((r) => r.day.slice(5)), axisLabel: { color: '#000' } }, yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('reports.pool.entered'), data: rows.map((r) => r.entered), label }, { type: 'bar', name: t('reports.pool.claimed'), data: rows.map((r) => r.claimed), label }] }),
    [rows, t],
  )
  return (
    <>
      <ExportTable report="pool" period={bySubject(period)} />
      <ChartAndTable problem={problem} loaded={data !== null} empty={rows.length === 0} option={option} chartLabel={t('reports.tabs.pool')} rows={rows} rowKey="day"
        columns={[
          { key: 'day', title: t('reports.pool.day'), dataIndex: 'day' },
          { key: 'entered', title: t('reports.pool.entered'), dataIndex: 'entered', align: 'right' },
          { key: 'claimed', title: t('reports.pool.claimed'), dataIndex: 'claimed', align: 'right' },
        ]} />
    </>
  )
}

const loadDataUse = (api: ApiClient, p: Period) => api.try('reports.dataUse', p)
const USE_KEYS = ['reveals', 'reads', 'exports'] as const

/** 数据使用审查 (admins): each staff member's reveals, logged reads and exports of client data, from the audit log. */
export function DataUseTab({ period }: { period: Period }) {
  const { t } = useTranslation()
  const { data, problem } = useReport(period, loadDataUse)
  const rows = data?.staff ?? []
  const option = useMemo<ChartOption>(
    () => ({
      ...BASE,
      legend: {},
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { color: '#000' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: USE_KEYS.map((k) => ({ type: 'bar', name: t(`reports.dataUse.${k}`), data: rows.map((r) => r[k]), label })),
    }),
    [rows, t],
  )
  return (
    <>
      <ExportTable report="dataUse" period={period} />
      <ChartAndTable
        problem={problem}
        loaded={data !== null}
        empty={rows.length === 0}
        option={option}
        chartLabel={t('reports.tabs.dataUse')}
        rows={rows}
        rowKey="staffId"
        columns={[
          { key: 'name', title: t('reports.dataUse.staff'), dataIndex: 'name' },
          { key: 'role', title: t('reports.dataUse.role'), render: (_, r) => roleName(t, r.role) },
          ...USE_KEYS.map((k) => ({ key: k, title: t(`reports.dataUse.${k}`), dataIndex: k, align: 'right' as const })),
        ]}
      />
    </>
  )
}
