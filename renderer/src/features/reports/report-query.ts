import type { ReportFilter, ReportQuery } from '@shared/contract/reports'
import type { Period } from '@shared/domain/kpi'

export type { ReportQuery }

/** The part of a query a per-agent or per-owner report takes (the period and whose figures). */
export function bySubject(q: ReportQuery): Period & Pick<ReportFilter, 'subject'> {
  return { from: q.from, to: q.to, ...(q.subject ? { subject: q.subject } : {}) }
}

/** The part of a query a client report takes (the period, whose clients, their channel and campaign). */
export function byClients(q: ReportQuery): ReportQuery {
  return { ...bySubject(q), ...(q.channel ? { channel: q.channel } : {}), ...(q.campaignId ? { campaignId: q.campaignId } : {}) }
}
