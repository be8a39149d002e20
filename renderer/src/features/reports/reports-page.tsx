import { PrinterOutlined, ReloadOutlined } from '@ant-design/icons'
import { Alert, Button, Select, Space, Spin, Tabs, Typography } from 'antd'
import dayjs from 'dayjs'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { KpiSubject, ReportFilter, reportsContract } from '@shared/contract/reports'
import type { z } from 'zod'
import { formatBranchDate, formatBranchTime } from '@shared/domain/branch-time'
import { KPI_IDS, periodOf, trendPeriods, type KpiTargets, type Period, type PeriodKind } from '@shared/domain/kpi'
import { mayCall } from '@shared/domain/permissions'
import { branchDayStart } from '@shared/domain/rules'
import { useApi, useMe } from '../../api/session-context'
import type { PageProps } from '../../app/routes'
import { errorText } from '../../i18n/error-text'
import { DataUseTab, ExportTable, FollowUpsDealsTab, FunnelTab, PoolTab, SlaTab } from './branch-reports'
import { DistrictsTab } from './district-map-tab'
import { KpiCard } from './kpi-card'
import { BoardTab, ClubTab, ConversionTab, ResponseTimesTab, TrafficTab } from './lifecycle-reports'
import { KpiTable } from './kpi-tables'
import { LostReasonsTab } from './lost-reasons-tab'
import { PeriodPicker, type DayRange } from './period-picker'
import { ReportFilters } from './report-filters'
import './reports.css'

type Kpis = z.infer<(typeof reportsContract)['reports.kpis']['output']>
type Trend = z.infer<(typeof reportsContract)['reports.kpiTrend']['output']>

const TREND_LENGTH = 6
const TAB_KEYS = ['kpi', 'funnel', 'followUps', 'sla', 'pool', 'response', 'conversion', 'traffic', 'board', 'club', 'districts', 'lost', 'dataUse'] as const
/** The tabs the filter bar applies to: by whose figures, and (client reports) by source channel and campaign. */
const BY_SUBJECT = new Set(['funnel', 'followUps', 'sla', 'pool', 'traffic', 'board', 'districts', 'lost'])
const BY_SOURCE = new Set(['funnel', 'districts', 'lost'])

/** The period a picker choice means, [from, to) in branch days. */
function periodFor(kind: PeriodKind, range: DayRange | null, now: Date): Period {
  if (kind !== 'custom' || !range) return periodOf(kind === 'custom' ? 'month' : kind, now)
  return { from: branchDayStart(range[0].format('YYYY-MM-DD')), to: branchDayStart(range[1].add(1, 'day').format('YYYY-MM-DD')) }
}

/** A trend point's label: 2026-11 for a month, 2026 Q4 for a quarter, else the first day (11-23). */
function pointLabel(kind: PeriodKind, from: string): string {
  const day = formatBranchDate(from)
  if (kind === 'month') return day.slice(0, 7)
  if (kind === 'quarter') return `${day.slice(0, 4)} Q${Math.floor(Number(day.slice(5, 7)) / 3) + 1}`
  return day.slice(5)
}

const subjectKey = (s: KpiSubject) => (s.kind === 'branch' ? 'branch' : s.kind === 'team' ? `team:${s.team}` : `agent:${s.staffId}`)
function subjectOf(key: string): KpiSubject {
  if (key === 'branch') return { kind: 'branch' }
  if (key.startsWith('team:')) return { kind: 'team', team: key.slice(5) }
  return { kind: 'agent', staffId: Number(key.slice(6)) }
}

/** 报表 (#/reports): the six KPIs of a period with targets and trends, by team and agent as the caller may see; the branch reports for the management; the data-use review for admins. */
export function ReportsPage(_props: PageProps) {
  const { t } = useTranslation()
  const me = useMe()
  const [tab, setTab] = useState('kpi')
  const [kind, setKind] = useState<PeriodKind>('month')
  const [range, setRange] = useState<DayRange | null>(null)
  const period = useMemo(() => periodFor(kind, range, new Date()), [kind, range])
  const [filter, setFilter] = useState<ReportFilter>({})
  const query = useMemo(() => ({ ...period, ...filter }), [period, filter])

  return (
    <div className="reports-page print-alone">
      <div className="reports-print-head">
        <Typography.Title level={4}>
          {t('reports.title')} · {t(`reports.tabs.${TAB_KEYS.find((k) => k === tab) ?? 'kpi'}`)}
        </Typography.Title>
        <div>
          {t('reports.period.range', { from: formatBranchDate(period.from), to: formatBranchDate(new Date(Date.parse(period.to) - 1)) })}
          {' · '}
          {t('reports.printedAt', { name: me.name, at: formatBranchTime(new Date().toISOString()) })}
        </div>
      </div>
      <Space className="reports-toolbar" wrap>
        <PeriodPicker
          kind={kind}
          range={range}
          onKind={(k) => {
            setKind(k)
            if (k === 'custom' && !range) setRange([dayjs().startOf('month'), dayjs()])
          }}
          onRange={setRange}
        />
        <Typography.Text type="secondary">{t('reports.period.range', { from: formatBranchDate(period.from), to: formatBranchDate(new Date(Date.parse(period.to) - 1)) })}</Typography.Text>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('reports.print')}
        </Button>
      </Space>
      {BY_SUBJECT.has(tab) && <ReportFilters period={period} filter={filter} withSource={BY_SOURCE.has(tab)} onChange={setFilter} />}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'kpi', label: t('reports.tabs.kpi'), children: <KpiDashboard kind={kind} period={period} /> },
          ...(mayCall(me.role, 'reports.funnel') ? [{ key: 'funnel', label: t('reports.tabs.funnel'), children: <FunnelTab period={query} /> }] : []),
          ...(mayCall(me.role, 'reports.followUpsVsDeals') ? [{ key: 'followUps', label: t('reports.tabs.followUps'), children: <FollowUpsDealsTab period={query} /> }] : []),
          ...(mayCall(me.role, 'reports.sla') ? [{ key: 'sla', label: t('reports.tabs.sla'), children: <SlaTab period={query} /> }] : []),
          ...(mayCall(me.role, 'reports.pool') ? [{ key: 'pool', label: t('reports.tabs.pool'), children: <PoolTab period={query} /> }] : []),
          ...(mayCall(me.role, 'reports.responseTimes') ? [{ key: 'response', label: t('reports.tabs.response'), children: <ResponseTimesTab period={period} /> }] : []),
          ...(mayCall(me.role, 'reports.conversion') ? [{ key: 'conversion', label: t('reports.tabs.conversion'), children: <ConversionTab period={period} /> }] : []),
          ...(mayCall(me.role, 'reports.traffic') ? [{ key: 'traffic', label: t('reports.tabs.traffic'), children: <TrafficTab period={query} /> }] : []),
          ...(mayCall(me.role, 'reports.board') ? [{ key: 'board', label: t('reports.tabs.board'), children: <BoardTab period={query} /> }] : []),
          ...(mayCall(me.role, 'reports.club') ? [{ key: 'club', label: t('reports.tabs.club'), children: <ClubTab period={period} /> }] : []),
          ...(mayCall(me.role, 'reports.districts') ? [{ key: 'districts', label: t('reports.tabs.districts'), children: <DistrictsTab period={query} /> }] : []),
          ...(mayCall(me.role, 'reports.lostReasons') ? [{ key: 'lost', label: t('reports.tabs.lost'), children: <LostReasonsTab period={query} /> }] : []),
          ...(mayCall(me.role, 'reports.dataUse') ? [{ key: 'dataUse', label: t('reports.tabs.dataUse'), children: <DataUseTab period={period} /> }] : []),
        ]}
      />
    </div>
  )
}

/** The KPI cards of the chosen subject, and the tables by team and agent. */
function KpiDashboard({ kind, period }: { kind: PeriodKind; period: Period }) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const widest: KpiSubject = mayCall(me.role, 'reports.lostReasons') ? { kind: 'branch' } : me.role === 'senior_agent' && me.team ? { kind: 'team', team: me.team } : { kind: 'agent', staffId: me.id }
  const [subject, setSubject] = useState<KpiSubject>(widest)
  const [kpis, setKpis] = useState<Kpis | null>(null)
  const [trend, setTrend] = useState<Trend | null>(null)
  const [targets, setTargets] = useState<KpiTargets | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [loading, setLoading] = useState(false)

  const load = useCallback(async () => {
    setLoading(true)
    const [k, tr, tg] = await Promise.all([
      api.try('reports.kpis', period),
      api.try('reports.kpiTrend', { periods: trendPeriods(kind, period, TREND_LENGTH), subject }),
      api.try('reports.kpiTargets', {}),
    ])
    setLoading(false)
    if (!k.ok) return setProblem(k.error)
    if (!tr.ok) return setProblem(tr.error)
    if (!tg.ok) return setProblem(tg.error)
    setProblem(null)
    setKpis(k.value)
    setTrend(tr.value)
    setTargets(tg.value)
  }, [api, period, kind, subject])

  useEffect(() => {
    void load()
  }, [load])

  const subjectOptions = useMemo(() => {
    const options: Array<{ value: string; label: string }> = []
    if (kpis?.branch) options.push({ value: 'branch', label: t('reports.subject.branch') })
    for (const team of kpis?.teams ?? []) options.push({ value: `team:${team.team}`, label: t('reports.subject.team', { team: team.team }) })
    for (const a of kpis?.agents ?? []) options.push({ value: `agent:${a.staffId}`, label: a.staffId === me.id ? t('reports.subject.self', { name: a.name }) : a.name })
    return options
  }, [kpis, me.id, t])

  const current = useMemo(() => {
    if (!kpis) return null
    if (subject.kind === 'branch') return kpis.branch
    if (subject.kind === 'team') return kpis.teams.find((x) => x.team === subject.team)?.figures ?? null
    return kpis.agents.find((x) => x.staffId === subject.staffId)?.figures ?? null
  }, [kpis, subject])

  if (problem) return <Alert type="error" showIcon message={t('reports.loadFailed', { text: errorText(t, problem) })} action={<Button onClick={() => void load()}>{t('reports.refresh')}</Button>} />
  if (!kpis || !trend || !targets || !current) return <Spin />

  const teamRows = [
    ...(kpis.branch ? [{ key: 'branch', name: t('reports.branchRow'), figures: kpis.branch, branch: true }] : []),
    ...kpis.teams.map((x) => ({ key: `team:${x.team}`, name: x.team, figures: x.figures })),
  ]
  return (
    <Spin spinning={loading}>
      <Space className="reports-toolbar" wrap>
        <Typography.Text>{t('reports.subject.label')}</Typography.Text>
        <Select aria-label={t('reports.subject.label')} className="reports-subject" value={subjectKey(subject)} options={subjectOptions} onChange={(v: string) => setSubject(subjectOf(v))} />
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('reports.refresh')}
        </Button>
      </Space>
      <div className="reports-kpis">
        {KPI_IDS.map((id) => (
          <KpiCard key={id} id={id} figure={current[id]} target={targets[id]} trend={trend.points.map((p) => ({ label: pointLabel(kind, p.from), value: p.figures[id].value }))} />
        ))}
      </div>
      {teamRows.length > 0 && (
        <>
          <KpiTable title={t('reports.byTeam')} rows={teamRows} targets={targets} withTeam={false} />
          <ExportTable report="kpiTeams" period={period} />
        </>
      )}
      <KpiTable title={t('reports.byAgent')} rows={kpis.agents.map((a) => ({ key: String(a.staffId), name: a.name, team: a.team, figures: a.figures }))} targets={targets} withTeam />
      <ExportTable report="kpiAgents" period={period} />
    </Spin>
  )
}
