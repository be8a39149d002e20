import { contract, type Contract, type MethodName, type ParsedInputOf } from '@shared/contract'

/** Which connection a call runs on: a reader (one snapshot, beside writes) or the one writer. */
export type Side = 'reader' | 'writer'

/** Methods the contract marks as not changing data (`write: false`: not audited as a write). */
export type ReadMethodName = { [M in MethodName]: Contract[M]['write'] extends true ? never : M }[MethodName]

/**
 * Where each read method runs. Every method that changes data (`write: true`) runs on the writer;
 * a read method runs on a reader unless it writes rows of its own, which no reader may (readers are
 * `query_only`). Audit rows are not such rows: a read's `ctx.audit`/`ctx.auditAlways` rows are
 * handed to the writer after the read, before the answer (see Dispatcher). A new read method must
 * be placed here (a compile error otherwise); tests/integration/runs-on.test.ts runs every method
 * placed on a reader through a query-only connection.
 */
const READ_METHODS: { [M in ReadMethodName]: Side | ((input: ParsedInputOf<M>) => Side) } = {
  // a session row, a revoked session, a preference, read marks: writes the contract does not audit as writes
  'auth.login': 'writer',
  'auth.logout': 'writer',
  'prefs.set': 'writer',
  'notifications.markRead': 'writer',
  // every swipe at the desk is logged (swipe_log) as it is read
  'cards.identify': 'writer',
  'auth.whoami': 'reader',
  // the screens of a subscription day close a group whose countdown ran out as they read it (its refund to-dos)
  'subscription.event': 'writer',
  'subscription.lobby': 'writer',
  'subscription.cards': 'reader',
  'subscription.events': 'reader',
  'subscription.summary': 'reader',
  'subscription.agreement': 'reader',
  'care.holidays': 'reader',
  'care.birthdays': 'reader',
  'care.holidayClients': 'reader',
  'care.milestones': 'reader',
  'care.templates': 'reader',
  'cases.search': 'reader',
  'care.segmentCount': 'reader',
  'calendar.range': 'reader',
  'surveys.templates': 'reader',
  'surveys.responses': 'reader',
  'surveys.summary': 'reader',
  'tickets.categories': 'reader',
  'tickets.list': 'reader',
  'tickets.get': 'reader',
  'staff.list': 'reader',
  'staff.get': 'reader',
  // an admin's search by number is written to the log first, and its answer lists that row too
  'audit.list': (input) => (input.number === undefined ? 'reader' : 'writer'),
  'audit.verify': 'reader',
  'backup.list': 'reader',
  'health.status': 'reader',
  // starts the copy on its own worker and answers at once; its audit row goes to the writer after the read
  'backup.create': 'reader',
  'system.ping': 'reader',
  'system.tls': 'reader',
  'system.standby': 'reader',
  'clients.search': 'reader',
  'clients.list': 'reader',
  'clients.get': 'reader',
  'clients.checkDuplicate': 'reader',
  'clients.revealPhones': 'reader',
  'clients.regionTree': 'reader',
  'needs.list': 'reader',
  'needs.history': 'reader',
  'prefs.get': 'reader',
  'followups.list': 'reader',
  'questionnaires.list': 'reader',
  'viewings.calendar': 'reader',
  'viewings.list': 'reader',
  'viewings.sheet': 'reader',
  'tasks.today': 'reader',
  'tasks.list': 'reader',
  'tasks.team': 'reader',
  'notifications.list': 'reader',
  'pool.list': 'reader',
  'duty.get': 'reader',
  'settings.getRules': 'reader',
  'reports.lostReasons': 'reader',
  'reports.kpis': 'reader',
  'reports.kpiTrend': 'reader',
  'reports.kpiTargets': 'reader',
  'reports.funnel': 'reader',
  'reports.followUpsVsDeals': 'reader',
  'reports.sla': 'reader',
  'reports.pool': 'reader',
  'reports.responseTimes': 'reader',
  'reports.conversion': 'reader',
  'reports.traffic': 'reader',
  'reports.board': 'reader',
  'reports.club': 'reader',
  'reports.districts': 'reader',
  'reports.dataUse': 'reader',
  'cards.list': 'reader',
  'club.standing': 'reader',
  'club.ledger': 'reader',
  'club.levels': 'reader',
  'club.previewLevels': 'reader',
  'activities.list': 'reader',
  'projects.list': 'reader',
  'units.template': 'reader',
  'units.quote': 'reader',
  'board.get': 'reader',
  'board.units': 'reader',
  'board.published': 'reader',
  'payments.list': 'reader',
  'payments.overdue': 'reader',
  'changes.list': 'reader',
  'changes.getSteps': 'reader',
  'finance.todos': 'reader',
  'board.getPalette': 'reader',
  'matching.unitsForClient': 'reader',
  'matching.clientsForUnit': 'reader',
  'jobs.get': 'reader',
  'imports.rows': 'reader',
  'imports.get': 'reader',
  'imports.errors': 'reader',
  'campaigns.list': 'reader',
  'campaigns.figures': 'reader',
  'devices.list': 'reader',
  'jobs.list': 'reader',
  'collab.inbox': 'reader',
  'export.status': 'reader',
  'export.getSettings': 'reader',
}

/** The side a call runs on (its input parsed). */
export function runsOn(method: MethodName, input: unknown): Side {
  if (contract[method].write) return 'writer'
  const side = READ_METHODS[method as ReadMethodName] as Side | ((input: unknown) => Side)
  return typeof side === 'function' ? side(input) : side
}

/**
 * Read methods that read nothing from the database (the ping): they run without a read
 * transaction, so they take no reader and are answered even while every reader is busy. A
 * method here that did read would still work, outside a snapshot.
 */
export const READS_NOTHING: ReadonlySet<MethodName> = new Set<MethodName>(['system.ping', 'system.tls', 'system.standby'])

/**
 * Read methods whose reading is one reader procedure (db/procedures.ts), which opens and closes
 * its own snapshot where it runs: the dispatcher opens no read transaction for them (a BEGIN and
 * a COMMIT message fewer), and the call is one message to the reader and one back, or none (a
 * small search runs on the event loop's read connection, also query-only: db/loop-reader.ts).
 * A handler here that read more than its procedure would read outside one snapshot.
 */
export const ONE_PROCEDURE: ReadonlySet<MethodName> = new Set<MethodName>(['clients.search'])
