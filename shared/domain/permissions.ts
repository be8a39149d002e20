import type { MethodName } from '../contract'
import type { EventName } from '../contract/events'
import { APPROVER_ROLES } from './approval-steps'
import type { Role } from './roles'

/**
 * Who may call what: the one permission table of the product (DESIGN §1).
 * 'public' needs no session; 'signed-in' any active staff; otherwise the listed roles.
 * The matrix test walks every method x role against this table.
 */
export type Access = 'public' | 'signed-in' | readonly Role[]

const MANAGEMENT = ['manager', 'admin'] as const
const ADMIN = ['admin'] as const
const AGENTS = ['agent', 'senior_agent'] as const
const RECORDERS = ['front_desk', 'agent', 'senior_agent', 'manager'] as const
const EDITORS = ['agent', 'senior_agent', 'manager'] as const
const REVEALERS = ['agent', 'senior_agent', 'manager', 'admin'] as const

export const PERMISSIONS = {
  'auth.login': 'public',
  'auth.logout': 'signed-in',
  'auth.whoami': 'signed-in',
  'auth.changePassword': 'signed-in',
  'staff.list': MANAGEMENT,
  'staff.get': MANAGEMENT,
  'staff.create': ADMIN,
  'staff.update': ADMIN,
  'staff.deactivate': ADMIN,
  'staff.reactivate': ADMIN,
  'staff.resetPassword': ADMIN,
  'staff.unlockSignIn': ADMIN,
  'audit.list': MANAGEMENT,
  'audit.verify': ADMIN,
  'backup.list': ADMIN,
  'backup.create': ADMIN,
  'backup.setSettings': ADMIN,
  'backup.restore': ADMIN,
  'backup.rekey': ADMIN,
  'health.status': ADMIN,
  'system.ping': 'signed-in',
  'system.tls': ADMIN,
  // every terminal needs to know where to go when the host dies
  'system.standby': 'signed-in',
  // paired terminals and browsers (issue 17): only the admin lets a PC in or throws it out
  'devices.list': ADMIN,
  'devices.openPairing': ADMIN,
  'devices.closePairing': ADMIN,
  'devices.revoke': ADMIN,
  'devices.setStandby': ADMIN,
  // row-level rules (owner, team, masking) are in shared/domain/client-access.ts
  'clients.search': 'signed-in',
  'clients.list': 'signed-in',
  'clients.get': 'signed-in',
  'clients.create': RECORDERS,
  'clients.update': EDITORS,
  'clients.checkDuplicate': RECORDERS,
  'clients.revealPhones': REVEALERS,
  'clients.requestCollaboration': AGENTS,
  'clients.merge': ['manager'],
  'clients.regionTree': 'signed-in',
  'needs.list': 'signed-in',
  'needs.create': EDITORS,
  'needs.update': EDITORS,
  'needs.history': 'signed-in',
  'prefs.get': 'signed-in',
  'prefs.set': 'signed-in',
  'followups.create': EDITORS,
  'followups.list': 'signed-in',
  'questionnaires.list': 'signed-in',
  'questionnaires.save': ['manager'],
  'viewings.book': EDITORS,
  'viewings.calendar': 'signed-in',
  'viewings.record': EDITORS,
  'viewings.list': RECORDERS,
  'viewings.sheet': RECORDERS,
  'tasks.today': 'signed-in',
  'tasks.list': 'signed-in',
  'tasks.team': ['manager'],
  'tasks.complete': 'signed-in',
  'notifications.list': 'signed-in',
  'notifications.markRead': 'signed-in',
  'pool.list': ['agent', 'senior_agent', 'manager'],
  'pool.claim': AGENTS,
  'pool.release': AGENTS,
  'pool.releaseMany': AGENTS,
  'clients.assign': ['front_desk', 'manager'],
  'clients.reassign': ['manager'],
  'clients.markLost': EDITORS,
  'clients.revive': EDITORS,
  'staff.depart': ['manager', 'admin'],
  'duty.get': 'signed-in',
  'duty.set': ['manager'],
  // care lists: whoever works clients; the rows are the clients the caller sees in full
  'care.holidays': EDITORS,
  'care.birthdays': EDITORS,
  'care.holidayClients': EDITORS,
  'care.markDone': EDITORS,
  'care.milestones': EDITORS,
  'care.skip': EDITORS,
  'care.templates': EDITORS,
  'care.setTemplate': ['manager'],
  'care.segmentCount': ['manager'],
  'care.policyNews': ['manager'],
  // 成交案例: closed deals without their parties, for whoever serves clients (the calculator's users)
  'cases.search': RECORDERS,
  // 录入案例: those who lead deals (a senior agent, the manager) keep the library's typed cases
  'cases.enter': ['senior_agent', 'manager'],
  'cases.edit': ['senior_agent', 'manager'],
  'cases.withdraw': ['senior_agent', 'manager'],
  // row-level: whose calendar (shared/domain/calendar.ts maySeeCalendar); team events are the manager's and the seniors'
  'calendar.range': RECORDERS,
  'calendar.createEvent': ['senior_agent', 'manager'],
  'calendar.cancelEvent': ['senior_agent', 'manager'],
  // tickets: row-level rules (who sees, dispatches, handles, closes) in shared/domain/tickets-access.ts
  // surveys: row-level rules (whose clients, whose responses) in shared/domain/surveys.ts
  'surveys.templates': RECORDERS,
  'surveys.answer': RECORDERS,
  'surveys.responses': RECORDERS,
  'surveys.summary': RECORDERS,
  'tickets.categories': RECORDERS,
  'tickets.saveCategory': ['manager'],
  'tickets.create': RECORDERS,
  'tickets.list': RECORDERS,
  'tickets.get': RECORDERS,
  'tickets.dispatch': ['front_desk', 'manager'],
  'tickets.start': RECORDERS,
  'tickets.feedBack': RECORDERS,
  'tickets.close': RECORDERS,
  'settings.getRules': 'signed-in',
  'settings.setRules': MANAGEMENT,
  'reports.lostReasons': MANAGEMENT,
  // whose figures (own, team, branch) is in electron/host/domains/reports/kpi-scope.ts
  'reports.kpis': REVEALERS,
  'reports.kpiTrend': REVEALERS,
  'reports.kpiTargets': REVEALERS,
  'reports.setKpiTargets': MANAGEMENT,
  'reports.funnel': MANAGEMENT,
  'reports.followUpsVsDeals': MANAGEMENT,
  'reports.sla': MANAGEMENT,
  'reports.pool': MANAGEMENT,
  'reports.responseTimes': MANAGEMENT,
  'reports.conversion': MANAGEMENT,
  'reports.traffic': MANAGEMENT,
  'reports.board': MANAGEMENT,
  'reports.club': MANAGEMENT,
  'reports.districts': MANAGEMENT,
  // seed 000's periodic check of how client data is used: the admin's
  'reports.dataUse': ADMIN,
  'scheduler.run': MANAGEMENT,
  'jobs.get': MANAGEMENT,
  'jobs.list': MANAGEMENT,
  'cards.identify': RECORDERS,
  'cards.issue': RECORDERS,
  'cards.reportLost': RECORDERS,
  'cards.replace': RECORDERS,
  'cards.list': RECORDERS,
  'frontdesk.registerVisit': RECORDERS,
  'club.standing': RECORDERS,
  'club.ledger': RECORDERS,
  'club.adjust': ['manager'],
  'club.reverse': ['manager'],
  'club.levels': 'signed-in',
  'club.previewLevels': ['manager'],
  'club.setLevels': ['manager'],
  'activities.create': ['manager'],
  'activities.list': 'signed-in',
  'activities.signUp': RECORDERS,
  'activities.checkIn': RECORDERS,
  'referrals.create': EDITORS,
  'projects.create': ['manager'],
  'projects.list': 'signed-in',
  'units.import': ['manager'],
  'imports.upload': MANAGEMENT,
  'imports.check': MANAGEMENT,
  'imports.rows': MANAGEMENT,
  'imports.get': MANAGEMENT,
  'imports.start': MANAGEMENT,
  'imports.cancel': MANAGEMENT,
  'imports.errors': MANAGEMENT,
  // campaigns (issue 19): the manager keeps them and reads their figures; whoever records a client,
  // a visit or a follow-up picks an active one
  'campaigns.list': RECORDERS,
  'campaigns.save': ['manager'],
  'campaigns.end': ['manager'],
  'campaigns.figures': ['manager'],
  'units.template': ['manager'],
  'board.get': 'signed-in',
  'board.publish': ['manager'],
  'board.units': 'signed-in',
  'board.published': 'signed-in',
  'board.getPalette': MANAGEMENT,
  'board.setPalette': MANAGEMENT,
  'units.hold': ['manager'],
  'units.withhold': ['manager'],
  'units.reserve': EDITORS,
  'units.advance': EDITORS,
  'units.quote': EDITORS,
  'units.release': ['manager'],
  // subscription days (认购日): agents issue VIP cards to clients they work and pick at the desk; the manager runs the day; the front desk keeps the door
  'subscription.issueCard': EDITORS,
  'subscription.setWishes': EDITORS,
  'subscription.setCarryOver': EDITORS,
  'subscription.cards': ['front_desk', 'manager'],
  'subscription.createEvent': ['manager'],
  'subscription.event': ['front_desk', 'manager'],
  'subscription.lobby': 'signed-in',
  'subscription.events': 'signed-in',
  'subscription.commitDraw': ['manager'],
  'subscription.revealDraw': ['manager'],
  'subscription.redraw': ['manager'],
  'subscription.callNext': ['manager'],
  'subscription.extend': ['manager'],
  'subscription.checkIn': ['front_desk', 'manager'],
  'subscription.markAbsent': ['front_desk', 'manager'],
  'subscription.pick': EDITORS,
  'subscription.pass': EDITORS,
  // a rehearsal is the manager's to start, run by itself and delete; staff practise with the day's own calls
  'subscription.rehearse': ['manager'],
  'subscription.autoRun': ['manager'],
  'subscription.deleteRehearsal': ['manager'],
  'subscription.summary': ['manager'],
  'subscription.agreement': EDITORS,
  'payments.record': ['front_desk', 'manager'],
  'payments.list': RECORDERS,
  'payments.setSchedule': ['manager'],
  'payments.overdue': ['front_desk', 'manager'],
  'changes.request': EDITORS,
  // which step of which request a role may decide is in electron/host/domains/board/change-approval.ts
  'changes.decide': APPROVER_ROLES,
  'changes.resubmit': EDITORS,
  'changes.list': ['agent', 'senior_agent', 'manager', 'admin'],
  'changes.getSteps': MANAGEMENT,
  // approvers do not choose who approves them: only the admin sets the steps
  'changes.setSteps': ADMIN,
  'finance.todos': ['front_desk', 'manager'],
  // the desk's cashier pays refunds and hands out invoices; the manager answers for them
  'finance.markDone': ['front_desk', 'manager'],
  'matching.unitsForClient': EDITORS,
  'matching.clientsForUnit': EDITORS,
  // who answers which request (the client's owner, or a manager) is in electron/host/domains/collab
  'collab.inbox': EDITORS,
  'collab.answer': EDITORS,
  // the front desk never exports (DESIGN §1); which rows each role may take is per grid, in electron/host/domains/export
  'export.start': REVEALERS,
  'export.status': REVEALERS,
  'export.getSettings': REVEALERS,
  'export.setSettings': MANAGEMENT,
} as const satisfies Record<MethodName, Access>

/** Whether a role may call a method (public and signed-in methods allow every role). */
export function mayCall(role: Role, method: MethodName): boolean {
  const access: Access = PERMISSIONS[method]
  if (access === 'public' || access === 'signed-in') return true
  return access.includes(role)
}

/**
 * Who may hear each pushed event, beyond its own audience (a staff member, a session): the access
 * of the method that reads what the event announces, so a push tells no one more than a call would.
 */
export const EVENT_ACCESS: Record<EventName, Access> = {
  'session.ended': 'signed-in',
  'notice.new': 'signed-in',
  'board.changed': PERMISSIONS['board.get'],
  'staff.changed': PERMISSIONS['staff.get'],
  // names only the event's id; every signed-in screen may read the event list and the lobby
  'subscription.changed': PERMISSIONS['subscription.events'],
}

/** Whether a role may hear an event (EVENT_ACCESS). */
export function mayHear(event: EventName, role: Role): boolean {
  const access = EVENT_ACCESS[event]
  return access === 'signed-in' || (access !== 'public' && access.includes(role))
}
