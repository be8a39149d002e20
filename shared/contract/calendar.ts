import { z } from 'zod'
import { Id, IsoTime, Ok, type ContractTable } from './common'
import { HostText } from './host-text'
import { CALENDAR_MAX_DAYS, EVENT_MAX_HOURS } from '../domain/calendar'
import { HOLIDAY_KEYS } from '../domain/holidays'
import { textField } from '../domain/text-kinds'

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const DAY_MS = 86_400_000

/** Whether a YYYY-MM-DD is a day of the calendar (not 2026-02-30). */
function realDay(day: string): boolean {
  const t = Date.parse(`${day}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day
}

/** What a team event is: a meeting, a duty shift, a training, something else. */
export const TeamEventKind = z.enum(['meeting', 'duty', 'training', 'other'])
export const CalendarItemKind = z.enum(['viewing', 'task', 'event', 'birthday', 'holiday'])

/** One thing on the calendar. */
export const CalendarItem = z.object({
  /** kind and id ('viewing:12', 'event:3', 'birthday:40:2026-11-05'): unique within an answer */
  key: z.string(),
  kind: CalendarItemKind,
  /** whose it is: a viewing's agent, a task's holder, an event's participants, a birthday client's owner */
  staffIds: z.array(Id),
  startsAt: IsoTime,
  /** null for a task (due at a moment), a birthday or a holiday (the whole day) */
  endsAt: IsoTime.nullable(),
  allDay: z.boolean(),
  /** an event's title, a viewing's or birthday's client, a task's subject */
  title: z.string().nullable(),
  /** a task's title, worded by the renderer */
  text: HostText.nullable(),
  eventKind: TeamEventKind.nullable(),
  holiday: z.enum(HOLIDAY_KEYS).nullable(),
  clientId: Id.nullable(),
  /** a viewing's address or unit, an event's place */
  place: z.string().nullable(),
  /** an event's version (to cancel it) and who set it */
  version: z.number().int().nullable(),
  createdBy: Id.nullable(),
})
export type CalendarItem = z.infer<typeof CalendarItem>

const Conflict = z.object({ staffId: Id, keys: z.tuple([z.string(), z.string()]) })

export const CalendarRangeInput = z
  .strictObject({
    /** first day shown, and the day after the last (branch days, YYYY-MM-DD) */
    from: Day,
    to: Day,
    /** one colleague's calendar (managers: anyone's; senior agents: their team's) */
    staffId: Id.optional(),
    /** the caller's team (senior agents) or the branch (managers) */
    team: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    for (const f of ['from', 'to'] as const) {
      if (!realDay(v[f])) return void ctx.addIssue({ code: 'custom', path: [f], message: 'not a date', params: { reason: 'not_a_date' } })
    }
    const days = (Date.parse(`${v.to}T00:00:00Z`) - Date.parse(`${v.from}T00:00:00Z`)) / DAY_MS
    if (!(days > 0)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the range ends before it starts', params: { reason: 'range' } })
    else if (days > CALENDAR_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${CALENDAR_MAX_DAYS} days at a time`, params: { reason: 'calendar_too_long', max: CALENDAR_MAX_DAYS } })
    if (v.staffId !== undefined && v.team === true) ctx.addIssue({ code: 'custom', path: ['team'], message: 'one person or the team, not both', params: { reason: 'calendar_person_or_team' } })
  })

export const TeamEventInput = z
  .strictObject({
    kind: TeamEventKind,
    title: textField('line', 80, 1),
    place: textField('line', 100).optional(),
    startsAt: IsoTime,
    endsAt: IsoTime,
    participantIds: z.array(Id).min(1).max(100),
  })
  .superRefine((v, ctx) => {
    const ms = Date.parse(v.endsAt) - Date.parse(v.startsAt)
    if (!(ms > 0)) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'ends before it starts', params: { reason: 'range' } })
    else if (ms > EVENT_MAX_HOURS * 3_600_000) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: `at most ${EVENT_MAX_HOURS} hours`, params: { reason: 'event_too_long', max: EVENT_MAX_HOURS } })
  })

export const calendarContract = {
  'calendar.range': {
    input: CalendarRangeInput,
    output: z.object({
      from: Day,
      to: Day,
      /** the people the calendar is about */
      people: z.array(z.object({ id: Id, name: z.string() })),
      items: z.array(CalendarItem),
      /** one person booked twice at once (viewings and team events) */
      conflicts: z.array(Conflict),
      /** more items than one answer holds: a shorter range shows them all */
      truncated: z.boolean(),
    }),
    write: false,
    summary:
      "Week or month calendar: viewings, open tasks, birthdays of owned clients, holidays and team events, with double bookings. Yours by default; managers anyone's or the branch's, senior agents their team's.",
  },
  'calendar.createEvent': {
    input: TeamEventInput,
    output: z.object({ event: CalendarItem, conflicts: z.array(z.object({ staffId: Id, name: z.string(), key: z.string() })) }),
    write: true,
    summary: 'Set a team event (meeting, duty, training) for participants, who get a notice; answers who is already booked then (managers; senior agents for their team).',
  },
  'calendar.cancelEvent': {
    input: z.strictObject({ id: Id, version: z.number().int() }),
    output: Ok,
    write: true,
    summary: 'Cancel a team event; its participants get a notice (managers, or the senior agent who set it).',
  },
} as const satisfies ContractTable
