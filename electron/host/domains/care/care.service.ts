import { birthdayDaysBetween, birthMonthDay } from '@shared/domain/birthdays'
import { clientAccess, fullAccessScope, seesFullPhones } from '@shared/domain/client-access'
import { maskPhone } from '@shared/domain/client-phone'
import { addDays, holidaysBetween, holidaysOfYear } from '@shared/domain/holidays'
import { branchDay } from '@shared/domain/rules'
import type { CareClient } from '@shared/contract/care'
import type { z } from 'zod'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext, HandlersOf, SessionInfo } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { mustFindClient } from '../clients/client-lookup'
import { ownershipOf, viewerOf } from '../clients/client-shape'
import { createFollowUp } from '../followups/followups.service'
import { birthdaysPage, greetingDone, greetingsOf, holidayClientsPage, insertGreeting, ownerScopeOf, type CareClientRecord, type OwnerScope } from './care.repository'

/** Today and the coming 7 days. */
const WINDOW_DAYS = 8

type Tier = z.infer<typeof CareClient>['tier']
type Channel = NonNullable<z.infer<typeof CareClient>['done']>['channel']
type Greeting = Awaited<ReturnType<typeof greetingsOf>>[number]

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/** The owners whose clients the caller sees in full, or null for nobody's. */
async function scopeOf(ctx: HandlerContext, s: SessionInfo): Promise<OwnerScope | null> {
  const full = fullAccessScope(viewerOf(s))
  return full === 'none' ? null : ownerScopeOf(ctx.db, full)
}

function toCareClient(r: CareClientRecord, s: SessionInfo, done: Greeting | undefined): z.infer<typeof CareClient> {
  const full = seesFullPhones(viewerOf(s), { ownerId: r.owner_id, ownerTeam: null })
  return {
    clientId: r.id,
    code: r.code,
    name: r.name,
    tier: r.tier as Tier,
    phone: r.primary_phone === null ? null : full ? r.primary_phone : maskPhone(r.primary_phone),
    owner: r.owner_id === null ? null : { id: r.owner_id, name: r.owner_name ?? '' },
    done: done ? { by: done.staff_name ?? '', at: done.done_at, channel: done.channel as Channel } : null,
  }
}

/** Care lists (issue #20): birthdays and holidays of the coming week, and greetings marked done as follow-ups. */
export const careHandlers: HandlersOf<'care'> = {
  'care.holidays': async (_input, ctx) => {
    const today = branchDay(ctx.clock.now())
    return { today, holidays: holidaysBetween(today, WINDOW_DAYS).map((h) => ({ ...h, daysAway: daysBetween(today, h.date) })) }
  },

  'care.birthdays': async ({ offset, limit }, ctx) => {
    const s = requireSession(ctx)
    const today = branchDay(ctx.clock.now())
    const scope = await scopeOf(ctx, s)
    if (scope === null) return { today, rows: [], total: 0 }
    const days = birthdayDaysBetween(today, WINDOW_DAYS)
    const dateOf = new Map(days.map((d) => [d.monthDay, d.date]))
    const page = await birthdaysPage(ctx.db, [...dateOf.keys()], scope, offset, limit)
    const done = await greetingsOf(ctx.db, page.rows.map((r) => r.id), 'birthday', [...new Set(dateOf.values())])
    const rows = page.rows.map((r) => {
      const date = dateOf.get(r.birth_md ?? '') ?? today
      const g = done.find((x) => x.client_id === r.id && x.occasion_date === date)
      return { ...toCareClient(r, s, g), birthDate: r.birth_date ?? '', date, daysAway: daysBetween(today, date) }
    })
    return { today, rows, total: page.total }
  },

  'care.holidayClients': async ({ holiday, date, offset, limit }, ctx) => {
    const s = requireSession(ctx)
    // any year's holiday on its own date, so a list can be prepared ahead of the week (春节 gifts)
    if (!holidaysOfYear(Number(date.slice(0, 4))).some((h) => h.key === holiday && h.date === date)) {
      throw new ApiFailure('VALIDATION', 'the holiday is not on that date', 'date', 'not_an_occasion')
    }
    const scope = await scopeOf(ctx, s)
    if (scope === null) return { rows: [], total: 0 }
    const page = await holidayClientsPage(ctx.db, scope, offset, limit)
    const done = await greetingsOf(ctx.db, page.rows.map((r) => r.id), holiday, [date])
    return { rows: page.rows.map((r) => toCareClient(r, s, done.find((g) => g.client_id === r.id))), total: page.total }
  },

  'care.markDone': async (input, ctx) => {
    const s = requireSession(ctx)
    const today = branchDay(ctx.clock.now())
    const c = await mustFindClient(ctx.db, input.clientId, 'clientId')
    // the lists show the clients the caller sees in full; a greeting is theirs to mark
    if (clientAccess(viewerOf(s), ownershipOf(c)) !== 'full') throw new ApiFailure('FORBIDDEN', 'you may not greet this client', 'clientId', 'no_client_access')
    const inWindow = input.date >= today && input.date <= addDays(today, WINDOW_DAYS - 1)
    const isOccasion =
      input.occasion === 'birthday'
        ? c.birth_date !== null && birthdayDaysBetween(today, WINDOW_DAYS).some((d) => d.date === input.date && d.monthDay === birthMonthDay(c.birth_date ?? ''))
        : holidaysBetween(today, WINDOW_DAYS).some((h) => h.key === input.occasion && h.date === input.date)
    if (!inWindow || !isOccasion) throw new ApiFailure('VALIDATION', 'no such occasion for this client in the coming week', 'date', 'not_an_occasion')
    if (await greetingDone(ctx.db, c.id, input.occasion, input.date)) {
      throw new ApiFailure('CONFLICT', 'this greeting is already marked done', 'clientId', 'greeting_done')
    }
    // logged as a follow-up on its channel, with the follow-up's own checks (who may contact, lost clients)
    const f = await createFollowUp({ clientId: c.id, channel: input.channel, content: input.content }, ctx)
    await insertGreeting(ctx.db, { clientId: c.id, occasion: input.occasion, date: input.date, followUpId: f.id, staffId: s.staffId, channel: input.channel, at: ctx.clock.now().toISOString() })
    return { followUpId: f.id }
  },
}
