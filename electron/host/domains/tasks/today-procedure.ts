import { DAY_MS } from '@shared/domain/rules'
import type { ThreadReaderProcedure } from '../../db/procedures'
import { recentlyClaimed } from '../clients/clients.repository'
import { countUnread } from '../notifications/notifications.repository'
import { getRules } from '../settings/rules.repository'
import { liveViewingsOfAgent } from '../viewings/viewings.repository'
import { todayTasks } from './tasks.repository'

/** Whose day, and when: the branch day's bounds are the caller's (its clock). */
export interface TodayArgs {
  staffId: number
  now: string
  dayStart: string
  dayEnd: string
}

/** The rows of an agent's home screen, as stored (the handler shapes them for its viewer). */
export async function readToday(db: Parameters<typeof todayTasks>[0], a: TodayArgs) {
  const rules = await getRules(db)
  const [tasks, viewings, claimed, unread] = await Promise.all([
    todayTasks(db, a.staffId, a.now, a.dayEnd),
    liveViewingsOfAgent(db, a.staffId, a.dayStart, a.dayEnd),
    recentlyClaimed(db, a.staffId, new Date(Date.parse(a.now) - rules.claimObligationDays * DAY_MS).toISOString(), 50),
    countUnread(db, a.staffId),
  ])
  return { tasks, viewings, claimed, unread }
}

/** readToday whole in a reader's thread: one message instead of seven (the rules, three task lists, viewings, claims, the unread count). */
export const todayProcedure: ThreadReaderProcedure<TodayArgs, Awaited<ReturnType<typeof readToday>>> = {
  name: 'tasks.today',
  reads: 'kysely',
  run: readToday,
}
