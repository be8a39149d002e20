import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'
import { ClientListInput } from './clients'
import { changesContract } from './changes'
import { financeContract } from './finance'
import { poolContract } from './pool'
import { tasksContract } from './tasks'
import { HolidayKey } from './care'
import { ReportFilter } from './reports'
import { textField } from '../domain/text-kinds'

/** The grids an export can take: each is exported through that grid's own query. */
export const ExportGrid = z.enum(['clients', 'pool', 'tasks', 'finance', 'subscription', 'care', 'board', 'approvals', 'report'])
export type ExportGrid = z.infer<typeof ExportGrid>

/** The client grid as the user sees it: view, filter and sort (paging is the export's own). */
export const ClientsExportQuery = ClientListInput.omit({ offset: true, limit: true, exactTotal: true })

/** The public pool (公客池) as on screen: its district. */
export const PoolExportQuery = poolContract['pool.list'].input.omit({ offset: true, limit: true })

/** The task list (任务) as on screen: a status, and (a manager) whose tasks. */
export const TasksExportQuery = tasksContract['tasks.list'].input.omit({ offset: true, limit: true })

/** The finance to-do list (财务待办) as on screen: open or done. */
export const FinanceExportQuery = financeContract['finance.todos'].input

/** A subscription day's summary (认购日汇总): the event. */
export const SubscriptionExportQuery = z.strictObject({ eventId: Id })
/** A care list of the week (客户关怀) for the branch's SMS tool: birthdays, anniversaries and handover calls, or a holiday's clients. */
export const CareExportQuery = z.discriminatedUnion('list', [
  z.strictObject({ list: z.literal('birthdays') }),
  z.strictObject({ list: z.literal('milestones') }),
  z.strictObject({ list: z.literal('holiday'), holiday: HolidayKey, date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
])

/** The sales-control board (销控表) of one project, as on screen. */
export const BoardExportQuery = z.strictObject({ projectId: Id })

/**
 * The approvals list (审批) as on screen: a status, a unit or a project (changes.list's filter);
 * `decided` is the 审批历史 tab: approved, rejected and withdrawn of the requests the list reads.
 */
export const ApprovalsExportQuery = changesContract['changes.list'].input.extend({
  status: z.enum(['pending', 'approved', 'rejected', 'withdrawn', 'decided']).optional(),
})

/** The report tables an export takes: every table a 报表 tab shows. */
export const ReportTableName = z.enum([
  'kpiTeams',
  'kpiAgents',
  'funnel',
  'followUps',
  'sla',
  'pool',
  'lostReasons',
  'dataUse',
  'responseTimes',
  'conversion',
  'traffic',
  'boardDays',
  'instalments',
  'clubLevels',
  'clubPoints',
  'referrals',
  'districts',
])
export type ReportTableName = z.infer<typeof ReportTableName>

/** A report's table (报表, whoever may call that report) for a period: which table, the period, for the board's tables a project, and the tab's filter. */
export const ReportExportQuery = z.strictObject({
  report: ReportTableName,
  from: IsoTime,
  to: IsoTime,
  projectId: Id.optional(),
  /** the tab's filter, as its report takes it (a filter the report does not take is refused) */
  ...ReportFilter.shape,
})

/** Branch settings of exports (managers and admins set them). */
export const ExportSettings = z.strictObject({
  /** rows one export may hold: a larger one is refused (narrow the filter) */
  rowCap: z.number().int().min(1).max(1_000_000),
  /** the dialog asks why, and the audit keeps the answer */
  requireReason: z.boolean(),
})
export type ExportSettings = z.infer<typeof ExportSettings>

export const DEFAULT_EXPORT_SETTINGS: ExportSettings = { rowCap: 20_000, requireReason: false }

const Common = {
  /** why (required when the branch says so) */
  reason: textField('line', 200).optional(),
  /** the language of the sheet's headers and values */
  lang: z.enum(['zh', 'en']).default('zh'),
}

export const ExportStartInput = z.discriminatedUnion('grid', [
  z.strictObject({ grid: z.literal('clients'), query: ClientsExportQuery, ...Common }),
  z.strictObject({ grid: z.literal('pool'), query: PoolExportQuery, ...Common }),
  z.strictObject({ grid: z.literal('tasks'), query: TasksExportQuery, ...Common }),
  z.strictObject({ grid: z.literal('finance'), query: FinanceExportQuery, ...Common }),
  z.strictObject({ grid: z.literal('subscription'), query: SubscriptionExportQuery, ...Common }),
  // the SMS tool may take CSV (UTF-8 with BOM) rather than a workbook
  z.strictObject({ grid: z.literal('care'), query: CareExportQuery, format: z.enum(['xlsx', 'csv']).default('xlsx'), ...Common }),
  z.strictObject({ grid: z.literal('board'), query: BoardExportQuery, ...Common }),
  z.strictObject({ grid: z.literal('approvals'), query: ApprovalsExportQuery, ...Common }),
  z.strictObject({ grid: z.literal('report'), query: ReportExportQuery, ...Common }),
])
export type ExportStartInput = z.input<typeof ExportStartInput>

/** An export as its requester sees it: progress, then the one-time download. */
export const ExportView = z.object({
  id: Id,
  grid: ExportGrid,
  status: z.enum(['running', 'done', 'failed']),
  /** rows written so far, of `total` (the count when it started) */
  done: z.number().int(),
  total: z.number().int(),
  /** GET this path on the host once (it expires a few minutes after the export finished); null before, or once taken */
  download: z.string().nullable(),
  fileName: z.string(),
})
export type ExportView = z.infer<typeof ExportView>

export const exportContract = {
  'export.start': {
    input: ExportStartInput,
    output: ExportView,
    write: true,
    summary:
      'Exports a grid (its view, filter and sort) to xlsx (a care list also to CSV) as a job: rows checked as the grid checks them, watermarked with the user and time, audited with the filter and reason; refused over the row cap.',
  },
  'export.status': {
    input: z.strictObject({ id: Id }),
    output: ExportView,
    write: false,
    summary: "One of the caller's own exports: its progress, and once done the path of its one-time download.",
  },
  'export.getSettings': {
    input: z.strictObject({}),
    output: ExportSettings,
    write: false,
    summary: "The branch's export settings: the row cap, and whether a reason is required.",
  },
  'export.setSettings': {
    input: ExportSettings.partial(),
    output: ExportSettings,
    write: true,
    summary: 'Change the export settings (managers and admins).',
  },
} as const satisfies ContractTable
