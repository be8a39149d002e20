import { Alert, Empty, Select, Space, Spin, Statistic, Table, Typography } from 'antd'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import type { ApiClient } from '@shared/contract/client'
import { RESPONSE_BUCKET_KEYS } from '@shared/domain/branch-reports'
import { SourceChannel } from '@shared/domain/client-enums'
import type { Period } from '@shared/domain/kpi'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'
import { BASE, ChartAndTable, ExportTable, label, useReport } from './branch-reports'
import { bySubject, type ReportQuery } from './report-query'
import type { ChartOption } from './echart'

// The reports of issue #19 item 2 beyond the funnel, SLA and pool: response times, conversion by
// channel and campaign, visits and swipes by hour, the board's sell-through and payments, the club.

const loadResponse = (api: ApiClient, p: Period) => api.try('reports.responseTimes', p)
const loadConversion = (api: ApiClient, p: Period) => api.try('reports.conversion', p)
const loadTraffic = (api: ApiClient, q: ReportQuery) => api.try('reports.traffic', bySubject(q))
const loadClub = (api: ApiClient, p: Period) => api.try('reports.club', p)

const GRID = { left: 8, right: 8, top: 32, bottom: 8, containLabel: true }
const hours1 = (h: number | null) => (h === null ? '—' : String(Math.round(h * 10) / 10))
const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 0 })
const POINT_KINDS = ['viewing', 'purchase', 'referral', 'activity', 'manual', 'reversal'] as const

/** A source channel in the branch's words (an unknown stored value as it is). */
function channelName(t: TFunction, channel: string): string {
  const known = SourceChannel.safeParse(channel)
  return known.success ? t(`clients.enums.sourceChannel.${known.data}`) : channel
}

/** A points ledger kind in the club's words. */
function pointKindName(t: TFunction, kind: string): string {
  const known = POINT_KINDS.find((k) => k === kind)
  return known ? t(`members.kind.${known}`) : kind
}

const percent = (num: number, den: number) => (den > 0 ? `${Math.round((num / den) * 1000) / 10}%` : '—')

/** 响应时效: how soon a client given to an agent (or created with one) is first contacted. */
export function ResponseTimesTab({ period }: { period: Period }) {
  const { t } = useTranslation()
  const { data, problem } = useReport(period, loadResponse)
  const rows = data?.agents ?? []
  const option = useMemo<ChartOption>(
    () => ({
      ...BASE,
      color: ['#595959'],
      grid: { ...GRID, top: 16 },
      xAxis: { type: 'category', data: RESPONSE_BUCKET_KEYS.map((k) => t(`reports.response.bucket.${k}`)), axisLabel: { color: '#000' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('reports.response.starts'), data: RESPONSE_BUCKET_KEYS.map((k) => data?.branch.buckets[k] ?? 0), label, barMaxWidth: 36 }],
    }),
    [data, t],
  )
  return (
    <>
      <ExportTable report="responseTimes" period={period} />
      {data && data.branch.starts > 0 && (
        <Space size="large" className="reports-figures">
          <Statistic title={t('reports.response.starts')} value={data.branch.starts} />
          <Statistic title={t('reports.response.answered')} value={data.branch.answered} />
          <Statistic title={t('reports.response.median')} value={hours1(data.branch.median)} />
          <Statistic title={t('reports.response.p90')} value={hours1(data.branch.p90)} />
        </Space>
      )}
      <ChartAndTable
        problem={problem}
        loaded={data !== null}
        empty={(data?.branch.starts ?? 0) === 0}
        option={option}
        chartLabel={t('reports.response.chart')}
        rows={rows}
        rowKey="staffId"
        columns={[
          { key: 'name', title: t('reports.agent'), dataIndex: 'name' },
          { key: 'team', title: t('reports.team'), render: (_, r) => r.team ?? t('reports.noTeam') },
          { key: 'starts', title: t('reports.response.starts'), dataIndex: 'starts', align: 'right' },
          { key: 'answered', title: t('reports.response.answered'), dataIndex: 'answered', align: 'right' },
          { key: 'median', title: t('reports.response.median'), align: 'right', render: (_, r) => hours1(r.median) },
          { key: 'p90', title: t('reports.response.p90'), align: 'right', render: (_, r) => hours1(r.p90) },
          { key: 'late', title: t('reports.response.over24'), align: 'right', render: (_, r) => r.buckets.d3 + r.buckets.more },
          { key: 'unanswered', title: t('reports.response.bucket.unanswered'), align: 'right', render: (_, r) => r.buckets.unanswered },
        ]}
      />
    </>
  )
}

/** 渠道转化: clients of the period by source channel and campaign, and how far they got. */
export function ConversionTab({ period }: { period: Period }) {
  const { t } = useTranslation()
  const { data, problem } = useReport(period, loadConversion)
  const rows = useMemo(
    () => (data?.rows ?? []).map((r) => ({ ...r, key: `${r.channel}:${r.campaignId ?? ''}`, channelName: channelName(t, r.channel) })),
    [data, t],
  )
  // the chart sums each channel's campaigns; the table keeps them apart
  const byChannel = useMemo(() => {
    const m = new Map<string, { name: string; clients: number; intent: number; negotiating: number; deals: number }>()
    for (const r of rows) {
      const c = m.get(r.channel) ?? m.set(r.channel, { name: r.channelName, clients: 0, intent: 0, negotiating: 0, deals: 0 }).get(r.channel)!
      c.clients += r.clients
      c.intent += r.intent
      c.negotiating += r.negotiating
      c.deals += r.deals
    }
    return [...m.values()]
  }, [rows])
  const option = useMemo<ChartOption>(
    () => ({
      ...BASE,
      legend: {},
      grid: GRID,
      xAxis: { type: 'category', data: byChannel.map((c) => c.name), axisLabel: { color: '#000' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: CONVERSION_KEYS.map((k) => ({ type: 'bar', name: t(`reports.conversion.${k}`), data: byChannel.map((c) => c[k]), label })),
    }),
    [byChannel, t],
  )
  return (
    <>
      <ExportTable report="conversion" period={period} />
      <ChartAndTable
        problem={problem}
        loaded={data !== null}
        empty={rows.length === 0}
        option={option}
        chartLabel={t('reports.tabs.conversion')}
        rows={rows}
        rowKey="key"
        columns={[
          { key: 'channel', title: t('reports.conversion.channel'), dataIndex: 'channelName' },
          { key: 'campaign', title: t('reports.conversion.campaign'), render: (_, r) => r.campaignName ?? t('reports.conversion.noCampaign') },
          ...CONVERSION_KEYS.map((k) => ({ key: k, title: t(`reports.conversion.${k}`), dataIndex: k, align: 'right' as const })),
          { key: 'rate', title: t('reports.conversion.rate'), align: 'right', render: (_, r) => percent(r.deals, r.clients) },
        ]}
      />
    </>
  )
}

const CONVERSION_KEYS = ['clients', 'intent', 'negotiating', 'deals'] as const
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** 到访与刷卡: visits and swipes per hour of the day as bars, and the weekday × hour table shaded by how busy. */
export function TrafficTab({ period }: { period: ReportQuery }) {
  const { t } = useTranslation()
  const { data, problem } = useReport(period, loadTraffic)
  const cells = useMemo(() => data?.cells ?? [], [data])
  const hours = useMemo(() => {
    const seen = cells.map((c) => c.hour)
    const lo = Math.min(9, ...seen)
    const hi = Math.max(18, ...seen)
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)
  }, [cells])
  const at = useMemo(() => new Map(cells.map((c) => [c.weekday * 24 + c.hour, c])), [cells])
  const busiest = Math.max(1, ...cells.map((c) => c.visits + c.swipes))
  const option = useMemo<ChartOption>(
    () => ({
      ...BASE,
      legend: {},
      grid: GRID,
      xAxis: { type: 'category', data: hours.map((h) => `${h}:00`), axisLabel: { color: '#000' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: (['visits', 'swipes'] as const).map((k) => ({
        type: 'bar',
        name: t(`reports.traffic.${k}`),
        data: hours.map((h) => cells.filter((c) => c.hour === h).reduce((n, c) => n + c[k], 0)),
        label,
      })),
    }),
    [cells, hours, t],
  )
  const rows = WEEKDAYS.map((name, weekday) => ({ weekday, name }))
  return (
    <>
      <ExportTable report="traffic" period={bySubject(period)} />
      <ChartAndTable
        problem={problem}
        loaded={data !== null}
        empty={cells.length === 0}
        option={option}
        chartLabel={t('reports.traffic.chart')}
        rows={rows}
        rowKey="weekday"
        columns={[
          { key: 'weekday', title: t('reports.traffic.weekday'), render: (_, r) => t(`reports.traffic.days.${r.name}`), fixed: 'left' },
          ...hours.map((h) => ({
            key: `h${h}`,
            title: String(h),
            align: 'center' as const,
            onCell: (r: { weekday: number }) => {
              const c = at.get(r.weekday * 24 + h)
              // a grey as deep as the hour is busy; the numbers stay, so paper without colour still reads
              const share = c ? (c.visits + c.swipes) / busiest : 0
              return { className: 'reports-heat', style: { background: `rgba(0, 0, 0, ${(share * 0.35).toFixed(2)})` } }
            },
            render: (_: unknown, r: { weekday: number }) => {
              const c = at.get(r.weekday * 24 + h)
              return c ? `${c.visits}/${c.swipes}` : ''
            },
          })),
        ]}
      />
    </>
  )
}

/** 销控与回款: the board's 认购 per day with prices, the share sold, and instalments due. */
export function BoardTab({ period }: { period: ReportQuery }) {
  const { t } = useTranslation()
  const api = useApi()
  const [projectId, setProjectId] = useState<number | undefined>(undefined)
  const [projects, setProjects] = useState<Array<{ value: number; label: string }>>([])
  useEffect(() => {
    void api.try('projects.list', {}).then((r) => r.ok && setProjects(r.value.projects.map((p) => ({ value: p.id, label: p.name }))))
  }, [api])
  const load = useCallback((a: ApiClient, q: ReportQuery) => a.try('reports.board', { ...bySubject(q), ...(projectId ? { projectId } : {}) }), [projectId])
  const { data, problem } = useReport(period, load)
  const days = data?.days ?? []
  const option = useMemo<ChartOption>(
    () => ({
      ...BASE,
      legend: {},
      grid: GRID,
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)), axisLabel: { color: '#000' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('reports.board.subscribed'), data: days.map((d) => d.subscribed), label }],
    }),
    [days, t],
  )
  const instalments = data?.instalments ?? []
  const sum = (keep: (s: string) => boolean) => yuan(instalments.filter((i) => keep(i.state)).reduce((n, i) => n + i.amount - i.paid, 0))
  return (
    <>
      <Space className="reports-toolbar" wrap>
        <Typography.Text>{t('reports.board.project')}</Typography.Text>
        <Select<number | undefined> aria-label={t('reports.board.project')} className="reports-subject" allowClear placeholder={t('reports.board.allProjects')} value={projectId} options={projects} onChange={setProjectId} />
        <ExportTable report="boardDays" period={bySubject(period)} projectId={projectId} />
      </Space>
      {data && (
        <Space size="large" className="reports-figures">
          <Statistic title={t('reports.board.units')} value={data.units} />
          <Statistic title={t('reports.board.sold')} value={data.sold} />
          <Statistic title={t('reports.board.sellThrough')} value={percent(data.sold, data.units)} />
          <Statistic title={t('reports.board.dueLeft')} value={sum((s) => s === 'due')} />
          <Statistic title={t('reports.board.overdueLeft')} value={sum((s) => s === 'overdue')} />
        </Space>
      )}
      <ChartAndTable
        problem={problem}
        loaded={data !== null}
        empty={days.length === 0}
        option={option}
        chartLabel={t('reports.board.chart')}
        rows={days}
        rowKey="day"
        columns={[
          { key: 'day', title: t('reports.pool.day'), dataIndex: 'day' },
          { key: 'subscribed', title: t('reports.board.subscribed'), dataIndex: 'subscribed', align: 'right' },
          { key: 'amount', title: t('reports.board.amount'), align: 'right', render: (_, d) => yuan(d.amount) },
          { key: 'avg', title: t('reports.board.average'), align: 'right', render: (_, d) => (d.subscribed > 0 ? yuan(d.amount / d.subscribed) : '—') },
          // fen over 0.01 m² is yuan per m²
          { key: 'perArea', title: t('reports.board.perArea'), align: 'right', render: (_, d) => (d.area > 0 ? Math.round(d.amount / d.area).toLocaleString('zh-CN') : '—') },
        ]}
      />
      <Typography.Title level={5}>{t('reports.board.instalments')}</Typography.Title>
      <ExportTable report="instalments" period={bySubject(period)} projectId={projectId} />
      {data && instalments.length === 0 ? (
        <Empty description={t('reports.board.noInstalments')} />
      ) : (
        <Table<(typeof instalments)[number]>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={instalments}
          columns={[
            { key: 'dueDate', title: t('reports.board.dueDate'), dataIndex: 'dueDate' },
            { key: 'unit', title: t('reports.board.unit'), dataIndex: 'unit' },
            { key: 'client', title: t('reports.board.client'), render: (_, i) => i.client ?? '—' },
            { key: 'label', title: t('reports.board.label'), dataIndex: 'label' },
            { key: 'amount', title: t('reports.board.instalmentAmount'), align: 'right', render: (_, i) => yuan(i.amount) },
            { key: 'paid', title: t('reports.board.paid'), align: 'right', render: (_, i) => yuan(i.paid) },
            { key: 'state', title: t('reports.board.state'), render: (_, i) => <span className={`reports-state-${i.state}`}>{t(`reports.board.states.${i.state}`)}</span> },
          ]}
        />
      )}
    </>
  )
}

/** 会员俱乐部: members by level, points issued and taken back by kind, referrals by referrer. */
export function ClubTab({ period }: { period: Period }) {
  const { t } = useTranslation()
  const { data, problem } = useReport(period, loadClub)
  const levels = data?.levels ?? []
  const option = useMemo<ChartOption>(
    () => ({
      ...BASE,
      color: ['#595959'],
      grid: { ...GRID, top: 16 },
      xAxis: { type: 'category', data: levels.map((l) => l.level), axisLabel: { color: '#000' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('reports.club.members'), data: levels.map((l) => l.members), label, barMaxWidth: 36 }],
    }),
    [levels, t],
  )
  if (problem) return <Alert type="error" showIcon message={t('reports.loadFailed', { text: errorText(t, problem) })} />
  if (!data) return <Spin />
  return (
    <>
      <ExportTable report="clubLevels" period={period} />
      <ChartAndTable
        problem={null}
        loaded
        empty={levels.every((l) => l.members === 0)}
        option={option}
        chartLabel={t('reports.club.chart')}
        rows={levels}
        rowKey="level"
        columns={[
          { key: 'level', title: t('reports.club.level'), dataIndex: 'level' },
          { key: 'members', title: t('reports.club.members'), dataIndex: 'members', align: 'right' },
        ]}
      />
      <Typography.Title level={5}>{t('reports.club.points')}</Typography.Title>
      <ExportTable report="clubPoints" period={period} />
      <Table
        size="small"
        rowKey="kind"
        pagination={false}
        dataSource={data.points}
        locale={{ emptyText: t('reports.emptyPeriod') }}
        columns={[
          { key: 'kind', title: t('reports.club.kind'), render: (_, r) => pointKindName(t, r.kind) },
          { key: 'issued', title: t('reports.club.issued'), dataIndex: 'issued', align: 'right' },
          { key: 'redeemed', title: t('reports.club.redeemed'), dataIndex: 'redeemed', align: 'right' },
        ]}
      />
      <Typography.Title level={5}>{t('reports.club.referrals')}</Typography.Title>
      <ExportTable report="referrals" period={period} />
      <Table
        size="small"
        rowKey="referrerId"
        pagination={false}
        dataSource={data.referrals}
        locale={{ emptyText: t('reports.emptyPeriod') }}
        columns={[
          { key: 'name', title: t('reports.club.referrer'), dataIndex: 'name' },
          { key: 'referred', title: t('reports.club.referred'), dataIndex: 'referred', align: 'right' },
          { key: 'rewarded', title: t('reports.club.rewarded'), dataIndex: 'rewarded', align: 'right' },
        ]}
      />
    </>
  )
}
