import type { Migration } from './migration'
import type { SqliteHandle } from './open'
import { m001Foundation } from './migrations/001-foundation'
import { m002Clients } from './migrations/002-clients'
import { m003FollowUpEngine } from './migrations/003-follow-up-engine'
import { m004MemberCards } from './migrations/004-member-cards'
import { m005SalesBoard } from './migrations/005-sales-board'
import { m006ChangeApprovalSteps } from './migrations/006-change-approval-steps'
import { m007AuthSignInLimits } from './migrations/007-auth-sign-in-limits'
import { m008AuditKeyedChain } from './migrations/008-audit-keyed-chain'
import { m009HostText } from './migrations/009-host-text'
import { m010ReadPlans } from './migrations/010-read-plans'
import { m011ClientGrid } from './migrations/011-client-grid'
import { m012Jobs } from './migrations/012-jobs'
import { m013FinanceDone } from './migrations/013-finance-done'
import { m014Collaboration } from './migrations/014-collaboration'
import { m015ChangeBefore } from './migrations/015-change-before'
import { m016LapsingTags } from './migrations/016-lapsing-tags'
import { m017SearchShortForms } from './migrations/017-search-short-forms'
import { m018MemberDiscount } from './migrations/018-member-discount'
import { m019Care } from './migrations/019-care'
import { m020ClientImport } from './migrations/020-client-import'
import { m021Tickets } from './migrations/021-tickets'
import { m022Subscription } from './migrations/022-subscription'
import { m023Kpi } from './migrations/023-kpi'
import { m024Surveys } from './migrations/024-surveys'
import { m025Campaigns } from './migrations/025-campaigns'
import { m026Rehearsal } from './migrations/026-rehearsal'
import { m027PairedDevices } from './migrations/027-paired-devices'
import { m028WsIdempotency } from './migrations/028-ws-idempotency'
import { m029CareFollowthrough } from './migrations/029-care-followthrough'
import { m030KeyRing } from './migrations/030-key-ring'
import { m031ReportIndexes } from './migrations/031-report-indexes'
import { m032SubscriptionCalls } from './migrations/032-subscription-calls'
import { m033Calendar } from './migrations/033-calendar'
import { m034DeletedParentIndexes } from './migrations/034-deleted-parent-indexes'
import { m035IdempotencyInput } from './migrations/035-idempotency-input'
import { m036SubscriptionRepick } from './migrations/036-subscription-repick'
import { m037ClientIdNumber } from './migrations/037-client-id-number'
import { m038EnteredCases } from './migrations/038-entered-cases'
import { m039SearchInnerTerms } from './migrations/039-search-inner-terms'
import { m040FollowUpImport } from './migrations/040-follow-up-import'
import { m041StandbyFeed } from './migrations/041-standby-feed'
import { m042ReportCovering } from './migrations/042-report-covering'
import { m043KpiFirsts } from './migrations/043-kpi-firsts'
import { m044ImportCheckError } from './migrations/044-import-check-error'
import { m045SearchInnerTable } from './migrations/045-search-inner-table'

/** Imported statically: bundlers break folder scanning. Append new steps in order. */
export const MIGRATIONS: readonly Migration[] = [
  m001Foundation,
  m002Clients,
  m003FollowUpEngine,
  m004MemberCards,
  m005SalesBoard,
  m006ChangeApprovalSteps,
  m007AuthSignInLimits,
  m008AuditKeyedChain,
  m009HostText,
  m010ReadPlans,
  m011ClientGrid,
  m012Jobs,
  m013FinanceDone,
  m014Collaboration,
  m015ChangeBefore,
  m016LapsingTags,
  m017SearchShortForms,
  m018MemberDiscount,
  m019Care,
  m020ClientImport,
  m021Tickets,
  m022Subscription,
  m023Kpi,
  m024Surveys,
  m025Campaigns,
  m026Rehearsal,
  m027PairedDevices,
  m028WsIdempotency,
  m029CareFollowthrough,
  m030KeyRing,
  m031ReportIndexes,
  m032SubscriptionCalls,
  m033Calendar,
  m034DeletedParentIndexes,
  m035IdempotencyInput,
  m036SubscriptionRepick,
  m037ClientIdNumber,
  m038EnteredCases,
  m039SearchInnerTerms,
  m040FollowUpImport,
  m041StandbyFeed,
  m042ReportCovering,
  m043KpiFirsts,
  m044ImportCheckError,
  m045SearchInnerTable,
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0

/** Applies every pending migration, each in its own transaction; returns the resulting version. */
export function migrate(
  sqlite: SqliteHandle,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => Date = () => new Date(),
): number {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`)
  const current = (sqlite.prepare('SELECT coalesce(max(version), 0) FROM schema_version').pluck().get() as number) ?? 0
  for (const m of migrations) {
    if (m.version <= current) continue
    sqlite.transaction(() => {
      sqlite.exec(m.up)
      sqlite
        .prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)')
        .run(m.version, m.name, now().toISOString())
    })()
  }
  return sqlite.prepare('SELECT coalesce(max(version), 0) FROM schema_version').pluck().get() as number
}
