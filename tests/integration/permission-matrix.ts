import type { MethodName } from '@shared/contract'
import type { Role } from '@shared/domain/roles'

/**
 * What each role may do with each API method (DESIGN §1), written out by hand and reviewed line
 * by line; permission-matrix.test.ts calls every method as every role and compares with this
 * table. It is deliberately not derived from shared/domain/permissions.ts or the row-level rules
 * in shared/domain/client-access.ts: a wrong grant there turns the test red.
 *
 * Each call is about a colleague's work: a client (with needs, follow-ups, a viewing with
 * feedback, a member card, points, a deal and a change request) owned by an agent of team 一组.
 * The agent and the senior agent calling are of the same team, so the senior sees the team's
 * clients in full and the agent does not. Calls that name no client (settings, staff, the
 * caller's own tasks) are about the branch or the caller.
 *
 * - `denied`: refused with FORBIDDEN, by the permission table or by a row-level rule.
 * - `masked`: answered, but with less of the colleague's work than the owning agent's own answer
 *   to the same call holds: a basic profile without its details, a viewing without its feedback,
 *   a deal without buyer and price, the colleague's rows left out of a list.
 * - `allowed`: answered in full.
 *
 * Phones are checked apart from this table, for every call: no answer to anyone but the owner
 * carries the colleague's client's phone number in full, except clients.revealPhones (audited).
 */
export type Cell = 'allowed' | 'denied' | 'masked'

/** The columns, in order. */
export const MATRIX_ROLES = ['front_desk', 'agent', 'senior_agent', 'manager', 'admin'] as const satisfies readonly Role[]

type Row = readonly [frontDesk: Cell, agent: Cell, seniorAgent: Cell, manager: Cell, admin: Cell]

// prettier-ignore
export const PERMISSION_MATRIX: Record<MethodName, Row> = {
  //                                front_desk  agent       senior      manager     admin
  // everyone's own session
  'auth.login':                    ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'auth.logout':                   ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'auth.whoami':                   ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'auth.changePassword':           ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'system.ping':                   ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'prefs.get':                     ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'prefs.set':                     ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  // staff accounts: the admin keeps them; the manager sees who works there
  'staff.list':                    ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'staff.get':                     ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'staff.create':                  ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'staff.update':                  ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'staff.deactivate':              ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'staff.reactivate':              ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'staff.resetPassword':           ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'staff.unlockSignIn':            ['denied',  'denied',  'denied',  'denied',  'allowed'],
  // a manager hands a departing agent's clients over; an admin too
  'staff.depart':                  ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  // the audit log: managers read it, only the admin verifies the chain; nobody edits it (no method does)
  'audit.list':                    ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'audit.verify':                  ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'system.tls':                    ['denied',  'denied',  'denied',  'denied',  'allowed'],
  // every signed-in terminal learns where the standbys are (to go on there when the host dies)
  'system.standby':                ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  // 设置 › 终端配对: only the admin lets a PC in or throws it out
  'devices.list':                  ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'devices.openPairing':           ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'devices.closePairing':          ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'devices.revoke':                ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'devices.setStandby':            ['denied',  'denied',  'denied',  'denied',  'allowed'],
  // backups and restore: the admin's alone
  'backup.list':                   ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'backup.create':                 ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'backup.setSettings':            ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'backup.restore':                ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'backup.rekey':                  ['denied',  'denied',  'denied',  'denied',  'allowed'],
  // 设置 › 系统状态: the admin's alone
  'health.status':                 ['denied',  'denied',  'denied',  'denied',  'allowed'],
  // the client book: everyone finds a client and sees the basics (name, owner, protection, blacklist)
  'clients.search':                ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'clients.list':                  ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'clients.regionTree':            ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  // the full profile: the owner, their team's senior, the manager; the admin too (each read audited)
  'clients.get':                   ['masked',  'masked',  'allowed', 'allowed', 'allowed'],
  // the desk records walk-ins and sees them at basic access once the rota gives them an owner
  'clients.create':                ['masked',  'allowed', 'allowed', 'allowed', 'denied'],
  // the admin keeps the system, not the book: no edits
  'clients.update':                ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  // 防撞单: who holds a number, never the numbers
  'clients.checkDuplicate':        ['allowed', 'allowed', 'allowed', 'allowed', 'denied'],
  // the front desk never sees full phones; an agent only their own (not a colleague's)
  'clients.revealPhones':          ['denied',  'denied',  'allowed', 'allowed', 'allowed'],
  // 申请协作 is for those who do not see the client in full: the team's senior already does (issue 16)
  'clients.requestCollaboration':  ['denied',  'allowed', 'denied',  'denied',  'denied'],
  'clients.merge':                 ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'clients.assign':                ['allowed', 'denied',  'denied',  'allowed', 'denied'],
  'clients.reassign':              ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'clients.markLost':              ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'clients.revive':                ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  // needs and the follow-up log: full access reads, editors write
  'needs.list':                    ['denied',  'denied',  'allowed', 'allowed', 'allowed'],
  'needs.history':                 ['denied',  'denied',  'allowed', 'allowed', 'allowed'],
  'needs.create':                  ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'needs.update':                  ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'followups.create':              ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'followups.list':                ['denied',  'denied',  'allowed', 'allowed', 'allowed'],
  'questionnaires.list':           ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'questionnaires.save':           ['denied',  'denied',  'denied',  'allowed', 'denied'],
  // viewings: the desk sees them to greet the client, without the client's feedback
  'viewings.book':                 ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'viewings.calendar':             ['masked',  'denied',  'allowed', 'allowed', 'denied'],
  'viewings.list':                 ['masked',  'denied',  'allowed', 'allowed', 'denied'],
  'viewings.record':               ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'viewings.sheet':                ['masked',  'denied',  'allowed', 'allowed', 'denied'],
  // tasks: your own; a manager sees anyone's; nobody completes a colleague's
  'tasks.today':                   ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'tasks.list':                    ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'tasks.team':                    ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'tasks.complete':                ['denied',  'denied',  'denied',  'denied',  'denied'],
  'notifications.list':            ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'notifications.markRead':        ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  // the public pool: agents claim; only the owner hands a client back
  'pool.list':                     ['denied',  'allowed', 'allowed', 'allowed', 'denied'],
  'pool.claim':                    ['denied',  'allowed', 'allowed', 'denied',  'denied'],
  'pool.release':                  ['denied',  'denied',  'denied',  'denied',  'denied'],
  'pool.releaseMany':              ['denied',  'denied',  'denied',  'denied',  'denied'],
  // the branch's rules and rota
  'duty.get':                      ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'duty.set':                      ['denied',  'denied',  'denied',  'allowed', 'denied'],
  // care lists: the clients the caller sees in full (an agent's own, a senior's team, the manager's branch)
  'care.holidays':                 ['denied',  'allowed', 'allowed', 'allowed', 'denied'],
  'care.birthdays':                ['denied',  'masked',  'allowed', 'allowed', 'denied'],
  'care.holidayClients':           ['denied',  'masked',  'allowed', 'allowed', 'denied'],
  'care.markDone':                 ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'care.milestones':               ['denied',  'masked',  'allowed', 'allowed', 'denied'],
  'care.skip':                     ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'care.templates':                ['denied',  'allowed', 'allowed', 'allowed', 'denied'],
  // greeting templates and policy news are the manager's
  'care.setTemplate':              ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'care.segmentCount':             ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'care.policyNews':               ['denied',  'denied',  'denied',  'allowed', 'denied'],
  // the case library names no client: the same answer for everyone who serves clients
  'cases.search':                  ['allowed', 'allowed', 'allowed', 'allowed', 'denied'],
  'cases.enter':                   ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'cases.edit':                    ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'cases.withdraw':                ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  // the owner's calendar: a colleague's only for the senior of the team and the manager; events set by them
  'calendar.range':                ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'calendar.createEvent':          ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  // an event the manager set: cancelled by the manager only
  'calendar.cancelEvent':          ['denied',  'denied',  'denied',  'allowed', 'denied'],
  // tickets (issue 20): each about a fresh client of the owner's, taken in by the owner. The desk opens
  // tickets for anyone and sees those it took in; an agent those of the clients they see in full; the
  // person a ticket went to handles it; a manager or whoever took it in dispatches (desk) and closes it
  'surveys.templates':             ['allowed', 'allowed', 'allowed', 'allowed', 'denied'],
  'surveys.answer':                ['allowed', 'denied',  'allowed', 'allowed', 'denied'],
  'surveys.responses':             ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'surveys.summary':               ['allowed', 'allowed', 'allowed', 'allowed', 'denied'],
  'tickets.categories':            ['allowed', 'allowed', 'allowed', 'allowed', 'denied'],
  'tickets.saveCategory':          ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'tickets.create':                ['allowed', 'denied',  'allowed', 'allowed', 'denied'],
  'tickets.list':                  ['masked',  'masked',  'allowed', 'allowed', 'denied'],
  'tickets.get':                   ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'tickets.dispatch':              ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'tickets.start':                 ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'tickets.feedBack':              ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'tickets.close':                 ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'settings.getRules':             ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'settings.setRules':             ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'reports.lostReasons':           ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  // KPIs: an agent their own figures, a senior agent their team's, the management the branch's
  'reports.kpis':                  ['denied',  'masked',  'allowed', 'allowed', 'allowed'],
  'reports.kpiTrend':              ['denied',  'denied',  'allowed', 'allowed', 'allowed'],
  'reports.kpiTargets':            ['denied',  'allowed', 'allowed', 'allowed', 'allowed'],
  'reports.setKpiTargets':         ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  // the branch's reports: the management's
  'reports.funnel':                ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'reports.followUpsVsDeals':      ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'reports.sla':                   ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'reports.pool':                  ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'reports.responseTimes':         ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'reports.conversion':            ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'reports.traffic':               ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'reports.board':                 ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'reports.club':                  ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'reports.districts':             ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'reports.dataUse':               ['denied',  'denied',  'denied',  'denied',  'allowed'],
  'scheduler.run':                 ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'jobs.get':                      ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'jobs.list':                     ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  // the counter: the desk serves every client who walks in (points, cards, last viewings without the
  // client's feedback); an agent a colleague's client only at the basics
  'cards.identify':                ['masked',  'masked',  'allowed', 'allowed', 'denied'],
  'cards.issue':                   ['allowed', 'denied',  'allowed', 'allowed', 'denied'],
  'cards.reportLost':              ['allowed', 'denied',  'allowed', 'allowed', 'denied'],
  'cards.replace':                 ['allowed', 'denied',  'allowed', 'allowed', 'denied'],
  'cards.list':                    ['allowed', 'denied',  'allowed', 'allowed', 'denied'],
  'frontdesk.registerVisit':       ['allowed', 'allowed', 'allowed', 'allowed', 'denied'],
  // the club: points are read where the client is served; only the manager changes them
  'club.standing':                 ['allowed', 'denied',  'allowed', 'allowed', 'denied'],
  'club.ledger':                   ['allowed', 'denied',  'allowed', 'allowed', 'denied'],
  'club.adjust':                   ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'club.reverse':                  ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'club.levels':                   ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'club.previewLevels':            ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'club.setLevels':                ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'activities.create':             ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'activities.list':               ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'activities.signUp':             ['allowed', 'denied',  'allowed', 'allowed', 'denied'],
  // a card at the activity's door checks its holder in, whoever owns them
  'activities.checkIn':            ['allowed', 'allowed', 'allowed', 'allowed', 'denied'],
  'referrals.create':              ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  // the board: everyone sees the colours; the buyer and price of a deal only those who see the deal
  // (its agent, the desk that takes its payments, the manager, full access to the buyer); the admin the status only
  'projects.create':               ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'projects.list':                 ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'units.import':                  ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'imports.upload':               ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'imports.check':                ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'imports.rows':                 ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'imports.get':                  ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'imports.start':                ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'imports.cancel':               ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'imports.errors':               ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  // campaigns (issue 19): the manager keeps them and reads what they brought; the desk and the
  // agents list them to pick one; the admin keeps out of the branch's marketing
  'campaigns.list':                ['allowed', 'allowed', 'allowed', 'allowed', 'denied'],
  'campaigns.save':                ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'campaigns.end':                 ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'campaigns.figures':             ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'units.template':                ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'board.get':                     ['allowed', 'masked',  'allowed', 'allowed', 'masked'],
  'board.units':                   ['allowed', 'masked',  'allowed', 'allowed', 'masked'],
  'board.publish':                 ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'board.published':               ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'board.getPalette':              ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'board.setPalette':              ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  'units.hold':                    ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'units.withhold':                ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'units.release':                 ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'units.reserve':                 ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  // a deal is moved on by its agent or the manager, not by the agent's team
  'units.advance':                 ['denied',  'denied',  'denied',  'allowed', 'denied'],
  // the deal's member pricing: for whoever may move it on
  'units.quote':                   ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'payments.record':               ['allowed', 'denied',  'denied',  'allowed', 'denied'],
  'payments.list':                 ['allowed', 'denied',  'allowed', 'allowed', 'denied'],
  'payments.setSchedule':          ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'payments.overdue':              ['allowed', 'denied',  'denied',  'allowed', 'denied'],
  'finance.todos':                 ['allowed', 'denied',  'denied',  'allowed', 'denied'],
  'finance.markDone':              ['allowed', 'denied',  'denied',  'allowed', 'denied'],
  // subscription days: agents issue VIP cards to clients they work in full (the senior: the team's) and pick at the
  // desk for any holder; the manager runs the day and the draw; the desk keeps the door and marks absentees;
  // the lobby display (card numbers, no names) is for any signed-in screen
  'subscription.issueCard':        ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'subscription.setWishes':        ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'subscription.setCarryOver':     ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'subscription.cards':            ['allowed', 'denied',  'denied',  'allowed', 'denied'],
  'subscription.createEvent':      ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'subscription.event':            ['allowed', 'denied',  'denied',  'allowed', 'denied'],
  'subscription.lobby':            ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'subscription.events':           ['allowed', 'allowed', 'allowed', 'allowed', 'allowed'],
  'subscription.commitDraw':       ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'subscription.revealDraw':       ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'subscription.redraw':           ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'subscription.callNext':         ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'subscription.extend':           ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'subscription.checkIn':          ['allowed', 'denied',  'denied',  'allowed', 'denied'],
  'subscription.markAbsent':       ['allowed', 'denied',  'denied',  'allowed', 'denied'],
  'subscription.pick':             ['denied',  'allowed', 'allowed', 'allowed', 'denied'],
  'subscription.pass':             ['denied',  'allowed', 'allowed', 'allowed', 'denied'],
  // rehearsals (演练): the manager's alone to start, let run by itself and delete
  'subscription.rehearse':         ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'subscription.autoRun':          ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'subscription.deleteRehearsal':  ['denied',  'denied',  'denied',  'allowed', 'denied'],
  // the day's figures (汇总): for the manager who ran it
  'subscription.summary':          ['denied',  'denied',  'denied',  'allowed', 'denied'],
  // a pick's 认购书: the buyer and the deal price, for whoever works the holder in full
  'subscription.agreement':        ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  // change requests: on your own deals; the step's role decides; only the requester resubmits
  'changes.request':               ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'changes.decide':                ['denied',  'denied',  'denied',  'allowed', 'denied'],
  'changes.resubmit':              ['denied',  'denied',  'denied',  'denied',  'denied'],
  'changes.list':                  ['denied',  'masked',  'masked',  'allowed', 'allowed'],
  'changes.getSteps':              ['denied',  'denied',  'denied',  'allowed', 'allowed'],
  // approvers do not choose who approves them
  'changes.setSteps':              ['denied',  'denied',  'denied',  'denied',  'allowed'],
  // matching reads needs: full access
  'matching.unitsForClient':       ['denied',  'denied',  'allowed', 'allowed', 'denied'],
  'matching.clientsForUnit':       ['denied',  'masked',  'allowed', 'allowed', 'denied'],
  // 申请协作: each sees the requests they answer (or made); only the client's owner or a manager answers
  'collab.inbox':                  ['denied',  'allowed', 'allowed', 'allowed', 'denied'],
  'collab.answer':                 ['denied',  'denied',  'denied',  'allowed', 'denied'],
  // exports (导出): no front desk; an agent's export leaves out a colleague's clients, a senior's keeps the team's
  'export.start':                  ['denied',  'masked',  'allowed', 'allowed', 'allowed'],
  'export.status':                 ['denied',  'allowed', 'allowed', 'allowed', 'allowed'],
  'export.getSettings':            ['denied',  'allowed', 'allowed', 'allowed', 'allowed'],
  'export.setSettings':            ['denied',  'denied',  'denied',  'allowed', 'allowed'],
}
