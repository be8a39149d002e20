import type { KpiSubject, ReportFilter } from '@shared/contract/reports'
import type { Viewer } from '@shared/domain/client-access'
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DB } from '../../db/schema'
import { subjectStaff, visibleStaff, type KpiStaffRecord } from './kpi-scope'
import { kpiStaff } from './kpi.repository'

/** Which clients a client report counts: their owners (null: any, the branch), source channel and campaign (absent: any). */
export interface ClientFilter {
  owners: number[] | null
  channel?: string | undefined
  campaignId?: number | undefined
}

/** Whether a client filter narrows anything (an unfiltered report keeps its own statement). */
export const narrows = (f: ClientFilter): boolean => f.owners !== null || f.channel !== undefined || f.campaignId !== undefined

/**
 * The owners a branch report's subject stands for, checked with the KPIs' rules (kpi-scope): no
 * subject is the whole branch, which only the management may see; a team or an agent the caller
 * may not see is FORBIDDEN whether or not it exists.
 */
export async function subjectOwners(db: Kysely<DB>, viewer: Viewer, subject: KpiSubject | undefined): Promise<number[] | null> {
  if (subject === undefined || subject.kind === 'branch') return subjectStaff(viewer, { kind: 'branch' }, [])
  return subjectStaff(viewer, subject, await kpiStaff(db))
}

/** A client report's filter from its input, the subject checked against the caller. */
export async function clientFilter(db: Kysely<DB>, viewer: Viewer, f: ReportFilter): Promise<ClientFilter> {
  return { owners: await subjectOwners(db, viewer, f.subject), channel: f.channel, campaignId: f.campaignId }
}

/**
 * The agents of a per-agent report: those the caller may see (visibleStaff) and, with a subject, of
 * that team or that agent (checked as subjectOwners checks it, but no subject is simply everyone visible).
 */
export async function reportAgents(db: Kysely<DB>, viewer: Viewer, subject: KpiSubject | undefined, withFigures: ReadonlySet<number>): Promise<KpiStaffRecord[]> {
  const staff = await kpiStaff(db)
  const only = subject === undefined ? null : subjectStaff(viewer, subject, staff)
  return visibleStaff(viewer, staff, withFigures).filter((s) => only === null || only.includes(s.id))
}

/** `column IN (ids)`; no ids is `IN (NULL)`, true of no row (a constant false would leave a statement with INDEXED BY no plan). */
export function inIds(column: RawBuilder<unknown>, ids: readonly number[]): RawBuilder<unknown> {
  return ids.length === 0 ? sql`${column} IN (NULL)` : sql`${column} IN (${sql.join(ids)})`
}

/** The conditions on a live client `c` a client filter makes (true when it has none of them). */
export function clientConditions(f: ClientFilter, ownerColumn: RawBuilder<unknown>): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = []
  if (f.owners !== null) parts.push(inIds(ownerColumn, f.owners))
  if (f.channel !== undefined) parts.push(sql`c.source_channel = ${f.channel}`)
  // an IN list of the campaign's clients (client_campaigns_campaign): a statement may start from it, or test each client against it
  if (f.campaignId !== undefined) parts.push(sql`c.id IN (SELECT cc.client_id FROM client_campaigns cc WHERE cc.campaign_id = ${f.campaignId})`)
  return parts.length === 0 ? sql`1` : sql.join(parts, sql` AND `)
}
