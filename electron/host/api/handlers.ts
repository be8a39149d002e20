import type { MethodPrefix } from '@shared/contract'
import type { DomainModule, HandlerDeps, Handlers } from './handler'
import type { AuthOptions } from '../domains/auth/auth.service'
import { PhoneLookupLimiter } from '../domains/clients/phone-lookups'
import type { TlsStatus } from '../tls/branch-tls'
import type { LoopProcedures } from '../db/procedures'
import type { BoardCache } from '../domains/board/board-cache'
import { activitiesHandlers } from '../domains/activities/activities.service'
import { auditHandlers } from '../domains/audit/audit.service'
import { backupHandlers } from '../domains/backup/backup.service'
import type { BackupService } from '../domains/backup/backup-service'
import type { Rekeyed } from '../domains/backup/key-rotation'
import { healthHandlers } from '../domains/health/health.service'
import type { HealthMonitor } from '../domains/health/health-monitor'
import { authHandlers } from '../domains/auth/auth.service'
import { boardHandlers } from '../domains/board/board.service'
import { cardsHandlers } from '../domains/cards/cards.service'
import { changesHandlers } from '../domains/changes/changes.service'
import { clientsHandlers } from '../domains/clients/clients.service'
import { clubHandlers } from '../domains/club/club.service'
import { collabHandlers } from '../domains/collab/collab.service'
import { careHandlers } from '../domains/care/care.service'
import { casesHandlers } from '../domains/cases/cases.service'
import { calendarHandlers } from '../domains/calendar/calendar.service'
import { ticketsHandlers } from '../domains/tickets/tickets.service'
import { surveysHandlers } from '../domains/surveys/surveys.service'
import { dutyHandlers } from '../domains/duty/duty.service'
import { financeHandlers } from '../domains/finance/finance.service'
import { followupsHandlers } from '../domains/followups/followups.service'
import { frontdeskHandlers } from '../domains/frontdesk/frontdesk.service'
import { matchingHandlers } from '../domains/matching/matching.service'
import { needsHandlers } from '../domains/needs/needs.service'
import { notificationsHandlers } from '../domains/notifications/notifications.service'
import { paymentsHandlers } from '../domains/payments/payments.service'
import { poolHandlers } from '../domains/pool/pool.service'
import { prefsHandlers } from '../domains/prefs/prefs.service'
import { projectsHandlers } from '../domains/projects/projects.service'
import { questionnairesHandlers } from '../domains/questionnaires/questionnaires.service'
import { referralsHandlers } from '../domains/referrals/referrals.service'
import { reportsHandlers } from '../domains/reports/reports.service'
import { schedulerHandlers } from '../domains/scheduler/scheduler.service'
import { jobsHandlers } from '../domains/jobs/jobs.service'
import { settingsHandlers } from '../domains/settings/settings.service'
import { staffHandlers } from '../domains/staff/staff.service'
import { subscriptionHandlers } from '../domains/subscription/subscription.service'
import { systemHandlers } from '../domains/system/system.service'
import { tasksHandlers } from '../domains/tasks/tasks.service'
import { unitsHandlers } from '../domains/units/units.service'
import { importsHandlers } from '../domains/imports/imports.service'
import { campaignsHandlers } from '../domains/campaigns/campaigns.service'
import { devicesHandlers } from '../domains/devices/devices.service'
import { viewingsHandlers } from '../domains/viewings/viewings.service'
import { exportHandlers } from '../domains/export/export.service'
import type { ExportFiles } from '../domains/export/export-files'

/**
 * Where each method's handler lives: the methods `x.*` are `xHandlers`, exported by
 * `domains/x/x.service.ts` (tests/unit/method-layout.test.ts checks the table against the contract).
 */
export const DOMAINS: { [P in MethodPrefix]: DomainModule<P> } = {
  auth: authHandlers,
  staff: staffHandlers,
  audit: auditHandlers,
  system: systemHandlers,
  clients: clientsHandlers,
  needs: needsHandlers,
  prefs: prefsHandlers,
  followups: followupsHandlers,
  questionnaires: questionnairesHandlers,
  viewings: viewingsHandlers,
  tasks: tasksHandlers,
  notifications: notificationsHandlers,
  pool: poolHandlers,
  duty: dutyHandlers,
  care: careHandlers,
  cases: casesHandlers,
  calendar: calendarHandlers,
  tickets: ticketsHandlers,
  surveys: surveysHandlers,
  settings: settingsHandlers,
  reports: reportsHandlers,
  scheduler: schedulerHandlers,
  jobs: jobsHandlers,
  cards: cardsHandlers,
  frontdesk: frontdeskHandlers,
  club: clubHandlers,
  activities: activitiesHandlers,
  referrals: referralsHandlers,
  projects: projectsHandlers,
  units: unitsHandlers,
  board: boardHandlers,
  payments: paymentsHandlers,
  changes: changesHandlers,
  finance: financeHandlers,
  matching: matchingHandlers,
  collab: collabHandlers,
  backup: backupHandlers,
  export: exportHandlers,
  imports: importsHandlers,
  health: healthHandlers,
  subscription: subscriptionHandlers,
  campaigns: campaignsHandlers,
  devices: devicesHandlers,
}

/** The handlers of one domain (a module that needs the host's shared parts gets them). */
export function handlersOf(prefix: MethodPrefix, deps: HandlerDeps): Partial<Handlers> {
  // DOMAINS' own type already holds each module to its prefix; here one shape serves every prefix
  const m = DOMAINS[prefix] as unknown as Partial<Handlers> | ((deps: HandlerDeps) => Partial<Handlers>)
  return typeof m === 'function' ? m(deps) : m
}

/** What the handlers reach beyond the database: the host's TLS (null: plain loopback), its backups and health (null: a test without a host). */
export interface HostServices {
  tls?: () => TlsStatus | null
  backups?: BackupService | null
  exports?: ExportFiles | null
  health?: HealthMonitor | null
  devices?: HandlerDeps['devices']
  rekey?: (() => Promise<Rekeyed>) | null
  loop?: LoopProcedures | null
  board?: BoardCache | null
}

/** Every domain's handlers in one table; each domain's module is typed against its part of the contract. */
export function createHandlers(auth: AuthOptions, services: HostServices = {}): Handlers {
  const deps: HandlerDeps = { auth, phoneLookups: new PhoneLookupLimiter(), tls: services.tls ?? (() => null), backups: services.backups ?? null, exports: services.exports ?? null, health: services.health ?? null, devices: services.devices ?? null, rekey: services.rekey ?? null, loop: services.loop ?? null, board: services.board ?? null }
  // one table from the 29 parts: DOMAINS' type holds each part to its methods, and together they are every method
  return Object.assign({}, ...(Object.keys(DOMAINS) as MethodPrefix[]).map((p) => handlersOf(p, deps))) as Handlers
}
