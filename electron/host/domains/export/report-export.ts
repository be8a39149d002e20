import type { Kysely } from 'kysely'
import { ZodObject, type z } from 'zod'
import type { ReportExportQuery } from '@shared/contract/export'
import type { KpiFigures, ReportFilter } from '@shared/contract/reports'
import { contract, type MethodName } from '@shared/contract'
import { RESPONSE_BUCKET_KEYS } from '@shared/domain/branch-reports'
import { SourceChannel } from '@shared/domain/client-enums'
import { districtTable } from '@shared/domain/district-map'
import { BRANCH_ONLY_KPIS, KPI_IDS, type KpiId } from '@shared/domain/kpi'
import { mayCall } from '@shared/domain/permissions'
import { ApiFailure } from '../../api/api-failure'
import type { DB } from '../../db/schema'
import { boardReport, checkPeriod, clubReport, conversionReport, districtsReport, responseTimesReport, trafficReport } from '../reports/branch-reports.service'
import { dataUseReport, followUpsReport, funnelReport, kpiReport, lostReasonsReport, poolReport, slaReport } from '../reports/reports.service'
import { enumText } from './export-enums'
import { sliceOfList, type BoundSource, type ExportColumn, type Exporter, type Lang } from './export-sheet'

type Query = z.output<typeof ReportExportQuery>

/** A report's table as a sheet: the report method whose callers may export it, its title, columns and rows (computed once per call, as the report's tab shows them). */
interface ReportTable<R> {
  method: MethodName
  title: { zh: string; en: string }
  columns: readonly ExportColumn<R>[]
  rows(db: Kysely<DB>, q: Query, who: Exporter, now: Date): Promise<R[]>
}

const zhEn = (l: Lang, zh: string, en: string) => (l === 'zh' ? zh : en)
const hours = (h: number | null) => (h === null ? '' : Math.round(h * 100) / 100)
const BUCKET_WORDS: Record<(typeof RESPONSE_BUCKET_KEYS)[number], readonly [string, string]> = {
  h1: ['1 小时内', 'Within 1 h'],
  h2: ['1–2 小时', '1–2 h'],
  h4: ['2–4 小时', '2–4 h'],
  h24: ['4–24 小时', '4–24 h'],
  d3: ['1–3 天', '1–3 days'],
  more: ['3 天以上', 'Over 3 days'],
  unanswered: ['本期未联系', 'Not contacted'],
}
const WEEKDAYS = [
  ['周一', 'Mon'],
  ['周二', 'Tue'],
  ['周三', 'Wed'],
  ['周四', 'Thu'],
  ['周五', 'Fri'],
  ['周六', 'Sat'],
  ['周日', 'Sun'],
] as const
/** A stored source channel in the sheet's language (an unknown one as stored). */
function channelWords(channel: string, l: Lang): string {
  const known = SourceChannel.safeParse(channel)
  return known.success ? enumText('sourceChannel', known.data, l) : channel
}
/** The points ledger kinds in the club's words (renderer members texts). */
const POINT_KINDS: Record<string, readonly [string, string]> = {
  viewing: ['看房', 'Viewing'],
  purchase: ['购房', 'Purchase'],
  referral: ['推荐', 'Referral'],
  activity: ['活动', 'Activity'],
  manual: ['人工调整', 'Manual adjustment'],
  reversal: ['冲销', 'Reversal'],
}
const STATES = { paid: ['已收齐', 'Paid'], due: ['待收', 'Due'], overdue: ['已逾期', 'Overdue'] } as const

type Agent = Awaited<ReturnType<typeof responseTimesReport>>['agents'][number]
type Conversion = Awaited<ReturnType<typeof conversionReport>>['rows'][number]
type Cell = Awaited<ReturnType<typeof trafficReport>>['cells'][number]
type Board = Awaited<ReturnType<typeof boardReport>>
type Club = Awaited<ReturnType<typeof clubReport>>

type Kpis = Awaited<ReturnType<typeof kpiReport>>
type KpiRow = { name: string; team?: string | null; figures: KpiFigures; branch?: boolean }
type FollowUps = Awaited<ReturnType<typeof followUpsReport>>['agents'][number]
type Sla = Awaited<ReturnType<typeof slaReport>>['agents'][number]
type Pool = Awaited<ReturnType<typeof poolReport>>['days'][number]
type Lost = Awaited<ReturnType<typeof lostReasonsReport>>['reasons'][number]
type DataUse = Awaited<ReturnType<typeof dataUseReport>>['staff'][number]
type District = ReturnType<typeof districtTable>[number]
type FunnelStage = Awaited<ReturnType<typeof funnelReport>>['stages'][number]

/** The KPIs' names and units as the dashboard shows them (renderer reports texts). */
const KPI_WORDS: Record<KpiId, readonly [string, string]> = {
  completeness: ['客户信息完整率（%）', 'Profile completeness (%)'],
  responseHours: ['维护响应时间（小时）', 'Response time (hours)'],
  poolClaim: ['公客池认领率（%）', 'Pool claim rate (%)'],
  potentialToIntent: ['潜在转意向率（%）', 'Potential to intent (%)'],
  intentToDeal: ['意向转成交率（%）', 'Intent to deal (%)'],
  repeatReferral: ['复购/转介率（%）', 'Repeat/referral rate (%)'],
}
/** The lost reasons a branch starts with (stored in Chinese) in English, as the renderer's lostReasons words; a branch's own reason stays as typed. */
const LOST_EN: Readonly<Record<string, string>> = {
  已在他处成交: 'Bought elsewhere',
  预算不足: 'Budget too low',
  需求取消: 'No longer looking',
  长期联系不上: 'Unreachable for a long time',
  对服务不满意: 'Unhappy with our service',
  其他: 'Other',
}
const ROLES: Record<string, readonly [string, string]> = {
  front_desk: ['前台', 'Front desk'],
  agent: ['经纪人', 'Agent'],
  senior_agent: ['资深经纪人', 'Senior agent'],
  manager: ['店长', 'Manager'],
  admin: ['管理员', 'Admin'],
}
const round1 = (v: number) => Math.round(v * 10) / 10

/** The six KPI columns: a value to one decimal, 暂无数据 for none, a dash where the KPI is the branch's only (as on screen). */
const KPI_COLUMNS: readonly ExportColumn<KpiRow>[] = KPI_IDS.map((id) => ({
  zh: KPI_WORDS[id][0],
  en: KPI_WORDS[id][1],
  cell: (r: KpiRow, l: Lang) => {
    if (!r.branch && BRANCH_ONLY_KPIS.includes(id)) return '—'
    const v = r.figures[id].value
    return v === null ? zhEn(l, '暂无数据', 'No data') : round1(v)
  },
}))
/** The dashboard's 按小组 table: the branch (for the management) and the teams. */
const kpiTeamRows = (k: Kpis): KpiRow[] => [...(k.branch ? [{ name: '全店', figures: k.branch, branch: true }] : []), ...k.teams.map((x) => ({ name: x.team, figures: x.figures }))]

// money in fen and areas in 0.01 m² as stored: the sheets show yuan, as numbers Excel can add up
const TABLES: { [K in Query['report']]: ReportTable<never> } = {
  responseTimes: table<Agent>('reports.responseTimes', { zh: '响应时效', en: 'Response times' }, (db, q, who) => responseTimesReport(db, who, q).then((r) => r.agents), [
    { zh: '经纪人', en: 'Agent', cell: (r) => r.name },
    { zh: '小组', en: 'Team', cell: (r) => r.team ?? '' },
    { zh: '待响应次数', en: 'To answer', cell: (r) => r.starts },
    { zh: '已联系', en: 'Contacted', cell: (r) => r.answered },
    { zh: '中位用时（小时）', en: 'Median (hours)', cell: (r) => hours(r.median) },
    { zh: '90% 用时（小时）', en: '90th percentile (hours)', cell: (r) => hours(r.p90) },
    ...RESPONSE_BUCKET_KEYS.map((k): ExportColumn<Agent> => ({ zh: BUCKET_WORDS[k][0], en: BUCKET_WORDS[k][1], cell: (r) => r.buckets[k] })),
  ]),
  conversion: table<Conversion>('reports.conversion', { zh: '渠道转化', en: 'Channel conversion' }, (db, q) => conversionReport(db, q).then((r) => r.rows), [
    { zh: '来源渠道', en: 'Source channel', cell: (r, l) => channelWords(r.channel, l) },
    { zh: '营销活动', en: 'Campaign', cell: (r) => r.campaignName ?? '' },
    { zh: '新客户', en: 'New clients', cell: (r) => r.clients },
    { zh: '达到意向', en: 'Reached intent', cell: (r) => r.intent },
    { zh: '达到谈判', en: 'Reached negotiation', cell: (r) => r.negotiating },
    { zh: '成交', en: 'Deals', cell: (r) => r.deals },
  ]),
  traffic: table<Cell>('reports.traffic', { zh: '到访与刷卡', en: 'Visits and swipes' }, (db, q, who) => trafficReport(db, who, q).then((r) => r.cells), [
    { zh: '星期', en: 'Weekday', cell: (r, l) => WEEKDAYS[r.weekday]![l === 'zh' ? 0 : 1] },
    { zh: '时', en: 'Hour', cell: (r) => r.hour },
    { zh: '到访登记', en: 'Visits', cell: (r) => r.visits },
    { zh: '刷卡', en: 'Swipes', cell: (r) => r.swipes },
  ]),
  boardDays: table<Board['days'][number]>('reports.board', { zh: '每日认购', en: 'Subscriptions per day' }, (db, q, who, now) => boardReport(db, who, q, q.projectId ?? null, now).then((r) => r.days), [
    { zh: '日期', en: 'Day', cell: (r) => r.day },
    { zh: '认购套数', en: 'Subscriptions', cell: (r) => r.subscribed },
    { zh: '成交总价（元）', en: 'Deal prices (yuan)', cell: (r) => r.amount / 100 },
    { zh: '面积（㎡）', en: 'Area (m²)', cell: (r) => r.area / 100 },
  ]),
  instalments: table<Board['instalments'][number]>('reports.board', { zh: '应收款项', en: 'Instalments due' }, (db, q, who, now) => boardReport(db, who, q, q.projectId ?? null, now).then((r) => r.instalments), [
    { zh: '应收日期', en: 'Due', cell: (r) => r.dueDate },
    { zh: '房源', en: 'Unit', cell: (r) => r.unit },
    { zh: '客户', en: 'Client', cell: (r) => r.client ?? '' },
    { zh: '款项', en: 'Instalment', cell: (r) => r.label },
    { zh: '应收（元）', en: 'Due (yuan)', cell: (r) => r.amount / 100 },
    { zh: '已收（元）', en: 'Paid (yuan)', cell: (r) => r.paid / 100 },
    { zh: '状态', en: 'State', cell: (r, l) => STATES[r.state][l === 'zh' ? 0 : 1] },
  ]),
  clubLevels: table<Club['levels'][number]>('reports.club', { zh: '会员等级分布', en: 'Members per level' }, (db, q) => clubReport(db, q).then((r) => r.levels), [
    { zh: '会员等级', en: 'Level', cell: (r) => r.level },
    { zh: '会员人数（期末）', en: 'Members (end of period)', cell: (r) => r.members },
  ]),
  clubPoints: table<Club['points'][number]>('reports.club', { zh: '积分发放与扣减', en: 'Points issued and taken back' }, (db, q) => clubReport(db, q).then((r) => r.points), [
    { zh: '积分类型', en: 'Kind', cell: (r, l) => POINT_KINDS[r.kind]?.[l === 'zh' ? 0 : 1] ?? r.kind },
    { zh: '发放', en: 'Issued', cell: (r) => r.issued },
    { zh: '扣减/冲销', en: 'Taken back', cell: (r) => r.redeemed },
  ]),
  referrals: table<Club['referrals'][number]>('reports.club', { zh: '老带新推荐', en: 'Referrals' }, (db, q) => clubReport(db, q).then((r) => r.referrals), [
    { zh: '推荐人', en: 'Referrer', cell: (r) => r.name },
    { zh: '推荐人数', en: 'Referred', cell: (r) => r.referred },
    { zh: '已奖励', en: 'Rewarded', cell: (r) => r.rewarded },
  ]),
  kpiTeams: table<KpiRow>('reports.kpis', { zh: '关键指标-按小组', en: 'KPIs by team' }, (db, q, who) => kpiReport(db, who, q).then(kpiTeamRows), [
    { zh: '小组', en: 'Team', cell: (r, l) => (r.branch ? zhEn(l, '全店', 'Branch') : r.name) },
    ...KPI_COLUMNS,
  ]),
  kpiAgents: table<KpiRow>('reports.kpis', { zh: '关键指标-按经纪人', en: 'KPIs by agent' }, (db, q, who) => kpiReport(db, who, q).then((k) => k.agents), [
    { zh: '经纪人', en: 'Agent', cell: (r) => r.name },
    { zh: '小组', en: 'Team', cell: (r) => r.team ?? '' },
    ...KPI_COLUMNS,
  ]),
  funnel: table<FunnelStage>('reports.funnel', { zh: '客户漏斗', en: 'Funnel' }, (db, q, who) => funnelReport(db, who, q).then((r) => r.stages), [
    { zh: '阶段', en: 'Stage', cell: (r, l) => enumText('stage', r.stage, l) },
    { zh: '客户数', en: 'Clients', cell: (r) => r.clients },
  ]),
  followUps: table<FollowUps>('reports.followUpsVsDeals', { zh: '跟进与成交', en: 'Follow-ups and deals' }, (db, q, who) => followUpsReport(db, who, q).then((r) => r.agents), [
    { zh: '经纪人', en: 'Agent', cell: (r) => r.name },
    { zh: '小组', en: 'Team', cell: (r) => r.team ?? '' },
    { zh: '跟进次数', en: 'Follow-ups', cell: (r) => r.followUps },
    { zh: '成交', en: 'Deals', cell: (r) => r.deals },
    { zh: '每单跟进次数', en: 'Follow-ups per deal', cell: (r) => (r.deals > 0 ? round1(r.followUps / r.deals) : '') },
  ]),
  sla: table<Sla>('reports.sla', { zh: '任务时效', en: 'Task timeliness' }, (db, q, who, now) => slaReport(db, who, q, now).then((r) => r.agents), [
    { zh: '经纪人', en: 'Agent', cell: (r) => r.name },
    { zh: '小组', en: 'Team', cell: (r) => r.team ?? '' },
    { zh: '按时完成', en: 'Done on time', cell: (r) => r.onTime },
    { zh: '逾期完成', en: 'Done late', cell: (r) => r.late },
    { zh: '逾期未完成', en: 'Overdue', cell: (r) => r.overdue },
    { zh: '已升级', en: 'Escalated', cell: (r) => r.escalated },
  ]),
  pool: table<Pool>('reports.pool', { zh: '公客池', en: 'Public pool' }, (db, q, who) => poolReport(db, who, q).then((r) => r.days), [
    { zh: '日期', en: 'Day', cell: (r) => r.day },
    { zh: '进入公客池', en: 'Entered', cell: (r) => r.entered },
    { zh: '被认领', en: 'Claimed', cell: (r) => r.claimed },
  ]),
  lostReasons: table<Lost>('reports.lostReasons', { zh: '流失原因', en: 'Lost reasons' }, (db, q, who) => lostReasonsReport(db, who, q).then((r) => r.reasons), [
    { zh: '流失原因', en: 'Reason', cell: (r, l) => (l === 'zh' ? r.reason : (Object.hasOwn(LOST_EN, r.reason) ? LOST_EN[r.reason]! : r.reason)) },
    { zh: '客户数', en: 'Clients', cell: (r) => r.count },
  ]),
  districts: table<District>('reports.districts', { zh: '客户地图', en: 'Clients by district' }, (db, q, who) => districtsReport(db, who, q).then(districtTable), [
    { zh: '区域', en: 'District', cell: (r, l) => r.name ?? zhEn(l, '未填区域', 'No district') },
    { zh: '客户数（期末）', en: 'Clients (end of period)', cell: (r) => r.clients },
    { zh: '本期新增', en: 'New in period', cell: (r) => r.newClients },
    { zh: '本期成交', en: 'Deals in period', cell: (r) => r.deals },
    { zh: '高购买力客户', en: 'High purchasing power', cell: (r) => r.highWealth },
  ]),
  dataUse: table<DataUse>('reports.dataUse', { zh: '数据使用审查', en: 'Data-use review' }, (db, q) => dataUseReport(db, q).then((r) => r.staff), [
    { zh: '员工', en: 'Staff', cell: (r) => r.name },
    { zh: '角色', en: 'Role', cell: (r, l) => ROLES[r.role]?.[l === 'zh' ? 0 : 1] ?? r.role },
    { zh: '查看完整号码', en: 'Phone reveals', cell: (r) => r.reveals },
    { zh: '记录在案的查阅', en: 'Logged reads', cell: (r) => r.reads },
    { zh: '导出', en: 'Exports', cell: (r) => r.exports },
  ]),
}

/**
 * A filter the table's report does not take is refused, naming it (the sheet would otherwise claim
 * a filter it did not apply). Which filters a report takes is its method's input in the contract.
 */
function checkFilter(q: Query, method: MethodName): void {
  const input = contract[method].input
  const takes = (field: keyof ReportFilter) => input instanceof ZodObject && field in input.shape
  for (const field of ['subject', 'channel', 'campaignId'] as const) {
    if (q[field] !== undefined && !takes(field)) throw new ApiFailure('VALIDATION', 'this report does not take that filter', `query.${field}`, 'report_filter')
  }
}

/** A report table, typed by its rows (stored without them: the export needs cells only). */
function table<R>(method: MethodName, title: ReportTable<R>['title'], rows: ReportTable<R>['rows'], columns: readonly ExportColumn<R>[]): ReportTable<never> {
  return { method, title, rows, columns } as unknown as ReportTable<never>
}

/**
 * A report's table (报表) with the request's period bound: exported by whoever may call the report
 * (the KPIs by every role that sees them, scoped to what they see; the data-use review by admins);
 * the rows are the tab's table, computed as the tab computes them.
 */
export function reportSource(q: Query): BoundSource {
  const t = TABLES[q.report] as unknown as ReportTable<unknown>
  const all = async (db: Kysely<DB>, who: Exporter, now: Date) => {
    if (!mayCall(who.role, t.method)) throw new ApiFailure('FORBIDDEN', 'this report is not yours to export', 'grid')
    checkPeriod(q)
    checkFilter(q, t.method)
    return t.rows(db, q, who, now)
  }
  return {
    title: { zh: `报表-${t.title.zh}`, en: `Report - ${t.title.en}` },
    headers: (lang) => t.columns.map((c) => zhEn(lang, c.zh, c.en)),
    count: async (db, who, now) => (await all(db, who, now)).length,
    async page(db, who, now, from, limit, lang) {
      const { rows, read, last } = sliceOfList(await all(db, who, now), from, limit)
      return { cells: rows.map((r) => t.columns.map((c) => c.cell(r, lang))), read, last }
    },
  }
}
