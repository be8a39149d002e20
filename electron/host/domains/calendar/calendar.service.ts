import type { z } from 'zod'
import type { CalendarItem } from '@shared/contract/calendar'
import { birthdayDaysBetween } from '@shared/domain/birthdays'
import { findConflicts, maySeeCalendar, type CalendarTarget } from '@shared/domain/calendar'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { holidaysBetween } from '@shared/domain/holidays'
import { branchDayStart } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext, HandlersOf, SessionInfo } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { textOf } from '../../db/stored-text'
import { birthdayStatement } from '../care/care.repository'
import { notify, type Notice } from '../notifications/notice'
import { findStaffById } from '../staff/staff.repository'
import { toViewing } from '../viewings/viewing-shape'
import { viewerOf } from '../clients/client-shape'
import {
  activeStaffAmong,
  busyDuring,
  calendarPeople,
  cancelTeamEvent,
  eventsStatement,
  findTeamEvent,
  insertTeamEvent,
  participantsOf,
  tasksStatement,
  viewingsStatement,
  type TeamEventRow,
} from './calendar.repository'

/** Items of one kind one answer holds at most (a month of a busy branch; a shorter range shows the rest). */
const KIND_LIMIT = 1000

type Item = z.infer<typeof CalendarItem>

const blank = { endsAt: null, allDay: false, title: null, text: null, eventKind: null, holiday: null, clientId: null, place: null, version: null, createdBy: null } as const

/** A stored instant as the branch reads it: YYYY-MM-DD HH:mm in Shanghai (UTC+8 all year). */
function branchTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
}

function eventItem(e: TeamEventRow, participants: readonly number[]): Item {
  return {
    ...blank,
    key: `event:${e.id}`,
    kind: 'event',
    staffIds: [...participants],
    startsAt: e.starts_at,
    endsAt: e.ends_at,
    title: e.title,
    eventKind: e.kind,
    place: e.place,
    version: e.version,
    createdBy: e.created_by,
  }
}

/** Whose calendar the call asks for, checked against who calls; the people it is about. */
async function peopleOf(ctx: HandlerContext, s: SessionInfo, input: { staffId?: number | undefined; team?: boolean | undefined }) {
  let target: CalendarTarget = { kind: 'self' }
  if (input.team === true) target = { kind: 'team' }
  else if (input.staffId !== undefined && input.staffId !== s.staffId) {
    const other = await findStaffById(ctx.db, input.staffId)
    if (!other || other.role === 'admin') throw new ApiFailure('NOT_FOUND', 'no such colleague', 'staffId')
    target = { kind: 'person', staffId: other.id, team: other.team }
  }
  if (!maySeeCalendar({ role: s.role, staffId: s.staffId, team: s.team }, target)) {
    throw new ApiFailure('FORBIDDEN', 'you may see only your own calendar (senior agents: their team’s)', target.kind === 'team' ? 'team' : 'staffId')
  }
  if (target.kind === 'team') return calendarPeople(ctx.db, s.role === 'manager' ? null : s.team)
  const id = target.kind === 'person' ? target.staffId : s.staffId
  const found = await findStaffById(ctx.db, id)
  return found ? [{ id: found.id, name: found.name, role: found.role, team: found.team }] : []
}

/** The calendar (issue #20 item 5): viewings, tasks, birthdays, holidays and team events, per person or team. */
export const calendarHandlers: HandlersOf<'calendar'> = {
  'calendar.range': async (input, ctx) => {
    const s = requireSession(ctx)
    const people = await peopleOf(ctx, s, input)
    const ids = people.map((p) => p.id)
    const from = branchDayStart(input.from)
    const to = branchDayStart(input.to)
    const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000)
    const items: Item[] = []
    let truncated = false
    const capped = <T>(rows: T[]) => {
      if (rows.length >= KIND_LIMIT) truncated = true
      return rows
    }
    if (ids.length > 0) {
      const viewer = viewerOf(s)
      for (const r of capped(await viewingsStatement(ctx.db, ids, from, to, KIND_LIMIT).execute())) {
        const v = toViewing(r, viewer)
        items.push({ ...blank, key: `viewing:${v.id}`, kind: 'viewing', staffIds: [v.agentId], startsAt: v.startsAt, endsAt: v.endsAt, title: v.clientName, clientId: v.clientId, place: v.unitLabel ?? v.address })
      }
      for (const t of capped(await tasksStatement(ctx.db, ids, from, to, KIND_LIMIT).execute())) {
        items.push({ ...blank, key: `task:${t.id}`, kind: 'task', staffIds: [t.staff_id], startsAt: t.due_at, title: t.detail, text: textOf(t.text_key, t.text_params), clientId: t.client_id })
      }
      // birthdays of the clients the people own (every caller here sees those in full: their own, their team's, the branch's)
      const birthdays = birthdayDaysBetween(input.from, days)
      const dateOf = new Map(birthdays.map((d) => [d.monthDay, d.date]))
      const rows = (await birthdayStatement([...dateOf.keys()], { ownerIds: ids }, 0, KIND_LIMIT).execute(ctx.db)).rows
      for (const c of capped(rows)) {
        const date = dateOf.get(c.birth_md ?? '') ?? input.from
        items.push({ ...blank, key: `birthday:${c.id}:${date}`, kind: 'birthday', staffIds: c.owner_id === null ? [] : [c.owner_id], startsAt: branchDayStart(date), allDay: true, title: c.name, clientId: c.id })
      }
    }
    const events = capped(await eventsStatement(ctx.db, from, to, KIND_LIMIT).execute())
    const participants = await participantsOf(
      ctx.db,
      events.map((e) => e.id),
    )
    for (const e of events) items.push(eventItem(e, participants.get(e.id) ?? []))
    for (const h of holidaysBetween(input.from, days)) {
      items.push({ ...blank, key: `holiday:${h.key}:${h.date}`, kind: 'holiday', staffIds: [], startsAt: branchDayStart(h.date), allDay: true, holiday: h.key })
    }
    items.sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : a.key.localeCompare(b.key)))
    const shown = new Set(ids)
    // double bookings of the people shown: their viewings and the events they take part in
    const timed = items
      .filter((i) => (i.kind === 'viewing' || i.kind === 'event') && i.endsAt !== null)
      .map((i) => ({ key: i.key, staffIds: i.staffIds.filter((id) => shown.has(id)), startsAt: i.startsAt, endsAt: i.endsAt ?? i.startsAt }))
    return { from: input.from, to: input.to, people: people.map((p) => ({ id: p.id, name: p.name })), items, conflicts: findConflicts(timed), truncated }
  },

  'calendar.createEvent': async (input, ctx) => {
    const s = requireSession(ctx)
    const ids = [...new Set(input.participantIds)].sort((a, b) => a - b)
    const staff = await activeStaffAmong(ctx.db, ids)
    if (staff.length !== ids.length || staff.some((p) => p.role === 'admin')) {
      throw new ApiFailure('VALIDATION', 'a participant is not an active colleague', 'participantIds', 'unknown_participant')
    }
    // a senior agent sets events for their own team; the manager for anyone
    if (s.role !== 'manager' && staff.some((p) => p.id !== s.staffId && (s.team === null || p.team !== s.team))) {
      throw new ApiFailure('FORBIDDEN', 'senior agents set events for their own team only', 'participantIds')
    }
    const busy = await busyDuring(ctx.db, ids, input.startsAt, input.endsAt)
    const at = ctx.clock.now().toISOString()
    const startsAt = new Date(input.startsAt).toISOString()
    const endsAt = new Date(input.endsAt).toISOString()
    const id = await insertTeamEvent(ctx.db, { kind: input.kind, title: input.title, place: input.place ?? null, startsAt, endsAt, participantIds: ids, by: s.staffId, at })
    ctx.auditTarget(`team_event:${id}`)
    const body = hostTextOf('notice.teamEventBody', { title: input.title, when: branchTime(startsAt), by: s.name })
    const notices: Notice[] = ids.filter((p) => p !== s.staffId).map((staffId) => ({ staffId, kind: 'calendar', title: hostTextOf('notice.teamEvent'), body, clientId: null, taskId: null }))
    await notify(ctx, notices)
    const nameOf = new Map(staff.map((p) => [p.id, p.name]))
    const event = await findTeamEvent(ctx.db, id)
    if (!event) throw new ApiFailure('INTERNAL', 'the event was not stored')
    return { event: eventItem(event, ids), conflicts: busy.map((b) => ({ staffId: b.staffId, name: nameOf.get(b.staffId) ?? '', key: b.key })) }
  },

  'calendar.cancelEvent': async ({ id, version }, ctx) => {
    const s = requireSession(ctx)
    const e = await findTeamEvent(ctx.db, id)
    if (!e) throw new ApiFailure('NOT_FOUND', 'no such event', 'id')
    if (s.role !== 'manager' && e.created_by !== s.staffId) throw new ApiFailure('FORBIDDEN', 'only the manager or whoever set it may cancel an event', 'id')
    if (e.cancelled_at !== null) throw new ApiFailure('CONFLICT', 'this event is already cancelled', 'id', 'already_cancelled')
    if (e.version !== version) throw new ApiFailure('STALE_WRITE', 'this event changed meanwhile', 'version', 'stale')
    await cancelTeamEvent(ctx.db, id, version, ctx.clock.now().toISOString())
    ctx.auditTarget(`team_event:${id}`)
    const participants = (await participantsOf(ctx.db, [id])).get(id) ?? []
    const body = hostTextOf('notice.teamEventCancelledBody', { title: e.title, when: branchTime(e.starts_at), by: s.name })
    await notify(
      ctx,
      participants.filter((p) => p !== s.staffId).map((staffId) => ({ staffId, kind: 'calendar', title: hostTextOf('notice.teamEventCancelled'), body, clientId: null, taskId: null })),
    )
    return { ok: true as const }
  },
}
