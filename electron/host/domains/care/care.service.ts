import { birthdayDaysBetween, birthMonthDay } from '@shared/domain/birthdays'
import { clientAccess, fullAccessScope, type Viewer } from '@shared/domain/client-access'
import { GREETING_PLACEHOLDERS, holidayNameZh, unknownPlaceholders, type GreetingPlaceholder, type OccasionKey } from '@shared/domain/greeting-templates'
import { addDays, HOLIDAY_KEYS, holidaysBetween, holidaysOfYear, type HolidayKey } from '@shared/domain/holidays'
import { branchDay } from '@shared/domain/rules'
import type { CareClient } from '@shared/contract/care'
import type { Kysely } from 'kysely'
import type { z } from 'zod'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext, HandlersOf, SessionInfo } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { DB } from '../../db/schema'
import { mustFindClient } from '../clients/client-lookup'
import { ownershipOf, shownPhone, viewerOf } from '../clients/client-shape'
import { createFollowUp } from '../followups/followups.service'
import { milestonesBetween } from './care-milestones'
import { greetingFiller, greetingTemplates, saveTemplate } from './care-templates'
import { birthdaysPage, greetingDone, greetingsOf, holidayClientsPage, insertGreeting, ownerScopeOf, type CareClientRecord, type OwnerScope } from './care.repository'
import { policyNewsHandlers } from './policy-news'

/** Today and the coming 7 days. */
export const WINDOW_DAYS = 8

type Tier = z.infer<typeof CareClient>['tier']
type Channel = NonNullable<z.infer<typeof CareClient>['done']>['channel']
type Greeting = Awaited<ReturnType<typeof greetingsOf>>[number]
type Fill = Awaited<ReturnType<typeof greetingFiller>>

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
const isHoliday = (o: OccasionKey): o is HolidayKey => (HOLIDAY_KEYS as readonly string[]).includes(o)

/** Who reads a care list, from what, and when: a call, or an export job. */
export interface CareReader {
  db: Kysely<DB>
  viewer: Viewer
  now: Date
}

const readerOf = (ctx: HandlerContext, s: SessionInfo): CareReader => ({ db: ctx.db, viewer: viewerOf(s), now: ctx.clock.now() })

/** The owners whose clients the viewer sees in full, or null for nobody's. */
async function scopeOf(db: Kysely<DB>, viewer: Viewer): Promise<OwnerScope | null> {
  const full = fullAccessScope(viewer)
  return full === 'none' ? null : ownerScopeOf(db, full)
}

/** A client on a care list as the caller may see it (the phone masked unless theirs), with the occasion's greeting filled in. */
export function toCareClient(r: CareClientRecord, viewer: Viewer, done: Greeting | undefined, greeting: string): z.infer<typeof CareClient> {
  return {
    clientId: r.id,
    code: r.code,
    name: r.name,
    tier: r.tier as Tier,
    phone: shownPhone(r.primary_phone, viewer, { ownerId: r.owner_id, ownerTeam: null }),
    owner: r.owner_id === null ? null : { id: r.owner_id, name: r.owner_name ?? '' },
    done: done
      ? { by: done.staff_name ?? '', at: done.done_at, outcome: done.outcome === 'skipped' ? 'skipped' : 'done', channel: done.channel as Channel | null, note: done.note }
      : null,
    greeting,
  }
}

/** The values a client's greeting is filled with. */
function valuesOf(r: CareClientRecord, extra: Partial<Record<GreetingPlaceholder, string>> = {}): Partial<Record<GreetingPlaceholder, string>> {
  return { 姓名: r.name, 经纪人: r.owner_name ?? '', ...extra }
}

/** The birthday list of the week for the caller: one page, and how many. */
export async function birthdayList({ db, viewer, now }: CareReader, fill: Fill, offset: number, limit: number) {
  const today = branchDay(now)
  const scope = await scopeOf(db, viewer)
  if (scope === null) return { today, rows: [], total: 0 }
  const days = birthdayDaysBetween(today, WINDOW_DAYS)
  const dateOf = new Map(days.map((d) => [d.monthDay, d.date]))
  const page = await birthdaysPage(db, [...dateOf.keys()], scope, offset, limit)
  const done = await greetingsOf(db, page.rows.map((r) => r.id), ['birthday'], [...new Set(dateOf.values())])
  const rows = page.rows.map((r) => {
    const date = dateOf.get(r.birth_md ?? '') ?? today
    const g = done.find((x) => x.client_id === r.id && x.occasion_date === date)
    return { ...toCareClient(r, viewer, g, fill('birthday', valuesOf(r))), birthDate: r.birth_date ?? '', date, daysAway: daysBetween(today, date) }
  })
  return { today, rows, total: page.total }
}

/** The clients to greet for a holiday on its date: one page, and how many. */
export async function holidayList({ db, viewer }: CareReader, fill: Fill, holiday: HolidayKey, date: string, offset: number, limit: number) {
  // any year's holiday on its own date, so a list can be prepared ahead of the week (春节 gifts)
  if (!holidaysOfYear(Number(date.slice(0, 4))).some((h) => h.key === holiday && h.date === date)) {
    throw new ApiFailure('VALIDATION', 'the holiday is not on that date', 'date', 'not_an_occasion')
  }
  const scope = await scopeOf(db, viewer)
  if (scope === null) return { rows: [], total: 0 }
  const page = await holidayClientsPage(db, scope, offset, limit)
  const done = await greetingsOf(db, page.rows.map((r) => r.id), [holiday], [date])
  const name = holidayNameZh(holiday)
  return { rows: page.rows.map((r) => toCareClient(r, viewer, done.find((g) => g.client_id === r.id), fill(holiday, valuesOf(r, { 节日: name })))), total: page.total }
}

/** The deal anniversaries and handover calls of the week for the caller: one page, and how many. */
export async function milestoneList({ db, viewer, now }: CareReader, fill: Fill, offset: number, limit: number) {
  const today = branchDay(now)
  const scope = await scopeOf(db, viewer)
  if (scope === null) return { today, rows: [], total: 0 }
  const all = await milestonesBetween(db, scope, today, WINDOW_DAYS)
  const page = all.slice(offset, offset + limit)
  const done = await greetingsOf(db, [...new Set(page.map((i) => i.record.id))], ['dealAnniversary', 'handoverMonth'], [...new Set(page.map((i) => i.date))])
  const rows = page.map((i) => {
    const g = done.find((x) => x.client_id === i.record.id && x.occasion === i.occasion && x.occasion_date === i.date)
    const greeting = fill(i.occasion, valuesOf(i.record, { 年数: i.years === null ? '' : String(i.years), 房号: i.unit ?? '' }))
    return { ...toCareClient(i.record, viewer, g, greeting), occasion: i.occasion, date: i.date, daysAway: daysBetween(today, i.date), since: i.since, years: i.years, unit: i.unit }
  })
  return { today, rows, total: all.length }
}

/**
 * The client a care item is about, once checked: the caller sees them in full (the lists show
 * no one else), the occasion is theirs on that date in the coming week, and the item is not
 * worked yet. Refusals name the field at fault and write nothing.
 */
async function mustBeOpenItem(ctx: HandlerContext, s: SessionInfo, input: { clientId: number; occasion: OccasionKey; date: string }) {
  const today = branchDay(ctx.clock.now())
  const c = await mustFindClient(ctx.db, input.clientId, 'clientId')
  if (clientAccess(viewerOf(s), ownershipOf(c)) !== 'full') throw new ApiFailure('FORBIDDEN', 'you may not greet this client', 'clientId', 'no_client_access')
  const inWindow = input.date >= today && input.date <= addDays(today, WINDOW_DAYS - 1)
  const o = input.occasion
  const isOccasion = !inWindow
    ? false
    : o === 'birthday'
      ? c.birth_date !== null && birthdayDaysBetween(today, WINDOW_DAYS).some((d) => d.date === input.date && d.monthDay === birthMonthDay(c.birth_date ?? ''))
      : isHoliday(o)
        ? holidaysBetween(today, WINDOW_DAYS).some((h) => h.key === o && h.date === input.date)
        : (await milestonesBetween(ctx.db, 'all', today, WINDOW_DAYS, c.id)).some((i) => i.occasion === o && i.date === input.date)
  if (!isOccasion) throw new ApiFailure('VALIDATION', 'no such occasion for this client in the coming week', 'date', 'not_an_occasion')
  if (await greetingDone(ctx.db, c.id, o, input.date)) throw new ApiFailure('CONFLICT', 'this care item is already worked', 'clientId', 'greeting_done')
  return { client: c, today }
}

/** Care lists (issue #20): birthdays, holidays, deal anniversaries and handover calls of the coming week, each done or skipped; greeting templates; policy news. */
export const careHandlers: HandlersOf<'care'> = {
  'care.holidays': async (_input, ctx) => {
    const today = branchDay(ctx.clock.now())
    return { today, holidays: holidaysBetween(today, WINDOW_DAYS).map((h) => ({ ...h, daysAway: daysBetween(today, h.date) })) }
  },

  'care.birthdays': async ({ offset, limit }, ctx) => birthdayList(readerOf(ctx, requireSession(ctx)), await greetingFiller(ctx.db), offset, limit),

  'care.holidayClients': async ({ holiday, date, offset, limit }, ctx) => holidayList(readerOf(ctx, requireSession(ctx)), await greetingFiller(ctx.db), holiday, date, offset, limit),

  'care.milestones': async ({ offset, limit }, ctx) => milestoneList(readerOf(ctx, requireSession(ctx)), await greetingFiller(ctx.db), offset, limit),

  'care.markDone': async (input, ctx) => {
    const s = requireSession(ctx)
    const { client: c } = await mustBeOpenItem(ctx, s, input)
    // logged as a follow-up on its channel, with the follow-up's own checks (who may contact, lost clients)
    const f = await createFollowUp({ clientId: c.id, channel: input.channel, content: input.content }, ctx)
    await insertGreeting(ctx.db, { clientId: c.id, occasion: input.occasion, date: input.date, outcome: 'done', followUpId: f.id, staffId: s.staffId, channel: input.channel, at: ctx.clock.now().toISOString() })
    return { followUpId: f.id }
  },

  'care.skip': async (input, ctx) => {
    const s = requireSession(ctx)
    const { client: c } = await mustBeOpenItem(ctx, s, input)
    await insertGreeting(ctx.db, { clientId: c.id, occasion: input.occasion, date: input.date, outcome: 'skipped', note: input.note, staffId: s.staffId, at: ctx.clock.now().toISOString() })
    ctx.auditTarget(`client:${c.id}`)
    return { skipped: true as const }
  },

  'care.templates': async (_input, ctx) => ({ templates: await greetingTemplates(ctx.db), placeholders: [...GREETING_PLACEHOLDERS] }),

  'care.setTemplate': async ({ occasion, text }, ctx) => {
    const unknown = text === null ? [] : unknownPlaceholders(text)
    if (unknown.length > 0) {
      throw new ApiFailure('VALIDATION', `unknown placeholder {${unknown[0]}}`, 'text', 'unknown_placeholder', { name: unknown[0] ?? '', known: GREETING_PLACEHOLDERS.join(' ') })
    }
    await saveTemplate(ctx.db, occasion, text, ctx.clock.now().toISOString())
    ctx.auditTarget(`care:template:${occasion}`)
    return (await greetingTemplates(ctx.db)).find((t) => t.occasion === occasion)!
  },

  ...policyNewsHandlers,
}
