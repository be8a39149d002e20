import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'
import { KpiCount, KpiTargetsSchema, type Period } from '../domain/kpi'
import { RESPONSE_BUCKET_KEYS, type ResponseBucket } from '../domain/branch-reports'
import { SourceChannel } from '../domain/client-enums'

/** A half-open period [from, to); `to` must be after `from` (field `to`, reason `period_order`). */
const PeriodInput = z.strictObject({ from: IsoTime, to: IsoTime })

/** Whose KPIs: the branch, one team, or one agent. */
export const KpiSubject = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('branch') }),
  z.strictObject({ kind: z.literal('team'), team: z.string().min(1).max(40) }),
  z.strictObject({ kind: z.literal('agent'), staffId: Id }),
])
export type KpiSubject = z.infer<typeof KpiSubject>

/** A report's filter of whose figures: the branch, one team or one agent, as far as the caller may see (KPI rules); none: the branch. */
const BySubject = { subject: KpiSubject.optional() }
/** A client report's filter of which clients: their source channel and campaign (client_campaigns). */
const BySource = { channel: SourceChannel.optional(), campaignId: Id.optional() }
/** The period reports' inputs: the period, by owner or agent, and (client reports) by source. */
const PeriodBySubject = z.strictObject({ from: IsoTime, to: IsoTime, ...BySubject })
const PeriodByClients = z.strictObject({ from: IsoTime, to: IsoTime, ...BySubject, ...BySource })
/** Every filter a period report may take (the renderer's filter bar and the export pick theirs from it). */
export const ReportFilter = z.strictObject({ ...BySubject, ...BySource })
export type ReportFilter = z.infer<typeof ReportFilter>
/** A period report's query: the period and the filters it takes. */
export type ReportQuery = Period & ReportFilter

/** One KPI of one subject: its counts and value (null = no data, never NaN). */
export const KpiFigure = KpiCount.extend({ value: z.number().nullable() })
export type KpiFigure = z.infer<typeof KpiFigure>
export const KpiFigures = z.object({
  completeness: KpiFigure,
  responseHours: KpiFigure,
  poolClaim: KpiFigure,
  potentialToIntent: KpiFigure,
  intentToDeal: KpiFigure,
  repeatReferral: KpiFigure,
})
export type KpiFigures = z.infer<typeof KpiFigures>

export const KpiAgentRow = z.object({ staffId: Id, name: z.string(), team: z.string().nullable(), figures: KpiFigures })
export type KpiAgentRow = z.infer<typeof KpiAgentRow>

const AgentCount = { staffId: Id, name: z.string(), team: z.string().nullable() }
const Count = z.number().int().min(0)

/** The KPI cards and the first reports (funnel, follow-ups, SLA, pool, lost reasons, data use). */
const kpiReportsContract = {
  'reports.lostReasons': {
    input: PeriodByClients,
    output: z.object({ reasons: z.array(z.object({ reason: z.string(), count: z.number().int() })) }),
    write: false,
    summary: 'Lost clients by reason in a period; by owner (team or agent: the client\'s owner now), source channel and campaign.',
  },
  'reports.kpis': {
    input: PeriodInput,
    output: z.object({
      /** the whole branch: managers and admins only, else null */
      branch: KpiFigures.nullable(),
      /** the teams the caller sees (all for managers, their own for a senior agent) */
      teams: z.array(z.object({ team: z.string(), figures: KpiFigures })),
      /** the agents the caller sees (all, their team, or themselves) */
      agents: z.array(KpiAgentRow),
    }),
    write: false,
    summary: "The six KPIs of a period for the branch, teams and agents the caller may see (an agent: their own).",
  },
  'reports.kpiTrend': {
    input: z.strictObject({ periods: z.array(PeriodInput).min(1).max(12), subject: KpiSubject }),
    output: z.object({ points: z.array(z.object({ from: IsoTime, to: IsoTime, figures: KpiFigures })) }),
    write: false,
    summary: 'The six KPIs of one subject (branch, team or agent the caller may see) over several periods.',
  },
  'reports.kpiTargets': {
    input: z.strictObject({}),
    output: KpiTargetsSchema,
    write: false,
    summary: "The branch's KPI targets (rates in percent, response time in hours).",
  },
  'reports.setKpiTargets': {
    input: KpiTargetsSchema.partial().strict(),
    output: KpiTargetsSchema,
    write: true,
    summary: 'Change KPI targets (managers and admins).',
  },
  'reports.funnel': {
    input: PeriodByClients,
    output: z.object({ stages: z.array(z.object({ stage: z.enum(['potential', 'intent', 'negotiating', 'closed', 'repeat']), clients: Count })) }),
    write: false,
    summary: 'Clients who were at each lifecycle stage at some time in a period (funnel); by owner (team or agent: the owner during the stage), source channel and campaign.',
  },
  'reports.followUpsVsDeals': {
    input: PeriodBySubject,
    output: z.object({ agents: z.array(z.object({ ...AgentCount, followUps: Count, deals: Count })) }),
    write: false,
    summary: "Each agent's contacts (follow-ups but notes) and deals (成交 or 复购转介 reached) in a period; for one team or agent.",
  },
  'reports.sla': {
    input: PeriodBySubject,
    output: z.object({ agents: z.array(z.object({ ...AgentCount, onTime: Count, late: Count, overdue: Count, escalated: Count })) }),
    write: false,
    summary: "Each agent's tasks due in a period: done on time, done late, open past due, escalated; for one team or agent.",
  },
  'reports.pool': {
    input: PeriodBySubject,
    output: z.object({ days: z.array(z.object({ day: z.string(), entered: Count, claimed: Count })) }),
    write: false,
    summary: 'Clients entering the public pool and claims from it, per branch day of a period; by team or agent (whose clients entered, who claimed).',
  },
  'reports.dataUse': {
    input: PeriodInput,
    output: z.object({ staff: z.array(z.object({ ...AgentCount, role: z.string(), reveals: Count, reads: Count, exports: Count })) }),
    write: false,
    summary: "Data-use review (admins): each staff member's phone reveals, logged reads and exports of client data in a period, from the audit log.",
  },
} as const satisfies ContractTable

/** Response figures of an agent or the branch: starts, those answered, median and 90th percentile hours (null: none answered), counts per bucket. */
export const ResponseSummary = z.object({
  starts: Count,
  answered: Count,
  median: z.number().nullable(),
  p90: z.number().nullable(),
  buckets: z.object(Object.fromEntries(RESPONSE_BUCKET_KEYS.map((k) => [k, Count])) as Record<ResponseBucket, typeof Count>),
})

/** A scheduled instalment's state: settled by what was paid on its deal (earliest due first), due, or overdue. */
export const InstalmentState = z.enum(['paid', 'due', 'overdue'])

/** The branch reports of #19 item 2: response times, conversion, traffic, board, club. */
const branchReportsContract = {
  'reports.responseTimes': {
    input: PeriodInput,
    output: z.object({ branch: ResponseSummary, agents: z.array(z.object({ ...AgentCount, ...ResponseSummary.shape })) }),
    write: false,
    summary: 'Response times of a period: hours from a client being created with an owner or given to an agent to the first contact, as buckets and per agent median and 90th percentile.',
  },
  'reports.conversion': {
    input: PeriodInput,
    output: z.object({
      rows: z.array(z.object({ channel: z.string(), campaignId: Id.nullable(), campaignName: z.string().nullable(), clients: Count, intent: Count, negotiating: Count, deals: Count })),
    }),
    write: false,
    summary: 'Clients created in a period by source channel and campaign, and how many of them reached 意向, 谈判 and a deal (成交 or 复购转介) by its end.',
  },
  'reports.traffic': {
    input: PeriodBySubject,
    output: z.object({
      days: z.array(z.object({ day: z.string(), visits: Count, swipes: Count })),
      /** weekday 0 = Monday … 6 = Sunday, hour 0–23, branch time */
      cells: z.array(z.object({ weekday: z.number().int().min(0).max(6), hour: z.number().int().min(0).max(23), visits: Count, swipes: Count })),
    }),
    write: false,
    summary: "Front-desk visits and card swipes of a period, per branch day and per weekday and hour; for one team or agent (visits of their clients then, swipes of their clients' cards).",
  },
  'reports.board': {
    input: z.strictObject({ from: IsoTime, to: IsoTime, projectId: Id.optional(), ...BySubject }),
    output: z.object({
      /** units on the board(s), and those a live deal holds at 认购 or beyond now */
      units: Count,
      sold: Count,
      /** 认购 per branch day: count, deal prices (fen) and areas (0.01 m²) summed */
      days: z.array(z.object({ day: z.string(), subscribed: Count, amount: z.number().int(), area: z.number().int() })),
      /** instalments due on the period's days, of live deals */
      instalments: z.array(z.object({ id: Id, txId: Id, unit: z.string(), client: z.string().nullable(), label: z.string(), dueDate: z.string(), amount: z.number().int(), paid: z.number().int(), state: InstalmentState })),
    }),
    write: false,
    summary: "A period's sell-through of the board (one project or all): 认购 per day with prices, the share sold now, and instalments due with what is paid, due or overdue; the 认购 and instalments of one team's or agent's deals.",
  },
  'reports.club': {
    input: PeriodInput,
    output: z.object({
      /** members (an active card) by level at the period's end, lowest level first */
      levels: z.array(z.object({ level: z.string(), members: Count })),
      points: z.array(z.object({ kind: z.string(), issued: Count, redeemed: Count })),
      referrals: z.array(z.object({ referrerId: Id, name: z.string(), referred: Count, rewarded: Count })),
    }),
    write: false,
    summary: 'The club in a period: members by level at its end, points issued and taken back per kind, referrals per referrer.',
  },
  'reports.districts': {
    input: PeriodByClients,
    output: z.object({
      /** the city's districts (zero where no client lives), then the other districts the clients name, most clients first */
      districts: z.array(z.object({ name: z.string(), inCity: z.boolean(), clients: Count, newClients: Count, deals: Count, highWealth: Count })),
      /** clients with no district */
      unplaced: z.object({ clients: Count, newClients: Count, deals: Count, highWealth: Count }),
    }),
    write: false,
    summary: '客户地图: per district, the clients on record at the period’s end, those created in it, deals in it and clients of high purchasing power, drawn on the city’s bundled district outlines; by owner (team or agent), source channel and campaign.',
  },
} as const satisfies ContractTable

/** Every reports.* method (one table per prefix: tests/unit/method-layout.test.ts). */
export const reportsContract = { ...kpiReportsContract, ...branchReportsContract } as const satisfies ContractTable
