import { clientAccess, seesFullPhones, type ClientOwnership, type Viewer } from '@shared/domain/client-access'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext } from '../../api/handler'

/**
 * Whole phone numbers one user may look up (search, 防撞单 checks, create and update): a caller
 * at the front desk costs one (search, live check and create ask about the same number), so a
 * busy desk stays far below; trying the 10,000 numbers a masked 138****5678 leaves takes days.
 */
export const PHONE_LOOKUPS_PER_MINUTE = 20
export const PHONE_LOOKUPS_PER_HOUR = 200

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000

/** One number a user asked about, and when. */
interface Spent {
  at: number
  e164: string
}

/**
 * Counts each user's phone lookups over the last minute and hour. Asking again about a number
 * the same user looked up within the hour costs nothing (it tells them nothing new). In memory:
 * a restart forgives, like the sign-in limiter.
 */
export class PhoneLookupLimiter {
  private readonly spent = new Map<number, Spent[]>()

  /** Charges the numbers new to this user, or throws RATE_LIMITED with the seconds until they fit. */
  spend(staffId: number, e164s: readonly string[], now: Date): void {
    const t = now.getTime()
    const recent = (this.spent.get(staffId) ?? []).filter((s) => s.at > t - HOUR_MS)
    const fresh = [...new Set(e164s)].filter((n) => !recent.some((s) => s.e164 === n))
    if (fresh.length > 0) {
      const wait = Math.max(
        waitFor(recent, fresh.length, PHONE_LOOKUPS_PER_HOUR, HOUR_MS, t),
        waitFor(
          recent.filter((s) => s.at > t - MINUTE_MS),
          fresh.length,
          PHONE_LOOKUPS_PER_MINUTE,
          MINUTE_MS,
          t,
        ),
      )
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000)
        throw new ApiFailure('RATE_LIMITED', `too many phone lookups; try again in ${seconds} s`, undefined, 'phone_lookups', { seconds })
      }
      for (const e164 of fresh) recent.push({ at: t, e164 })
    }
    if (recent.length > 0) this.spent.set(staffId, recent)
    else this.spent.delete(staffId)
  }
}

/** ms until `cost` more lookups fit in a window holding `inWindow` (oldest first), 0 when they fit now. */
function waitFor(inWindow: readonly Spent[], cost: number, limit: number, windowMs: number, now: number): number {
  const over = inWindow.length + cost - limit
  if (over <= 0) return 0
  // the over-th oldest lookup must leave the window first (cost never exceeds limit: at most 5 phones)
  const leaving = inWindow[over - 1]
  return leaving ? leaving.at + windowMs - now : windowMs
}

/** A number that was looked up and the live client holding it, if any. */
export interface PhoneLookup {
  e164: string
  /** its display form (13812345678, landlines 021-62345678), masked for the audit row. */
  display: string
  client: (ClientOwnership & { id: number }) | null
}

/**
 * When a lookup's audit row is written: `with-call` in the call's own transaction (or after its
 * rollback: a refused create still looked the number up); `after-answer` in a batch right after
 * the answer (searches: the box answers as it is typed in, and the row never changes the answer).
 */
export type LookupRecording = 'with-call' | 'after-answer'

function recordLookup(ctx: HandlerContext, when: LookupRecording, target: string | null, detail: Record<string, unknown>): void {
  if (when === 'after-answer') ctx.auditAfterAnswer('clients.phoneLookup', target, detail)
  else ctx.auditAlways('clients.phoneLookup', target, detail)
}

/**
 * The rules for whole-number lookups in one place: numbers that are not on a client the caller
 * sees in full are charged to their allowance; numbers found on a client whose phones show
 * masked to them leave one audit row each (the number as `phone` in e164, the masked form beside it).
 */
export function chargeAndAudit(
  ctx: HandlerContext,
  limiter: PhoneLookupLimiter,
  viewer: Viewer,
  via: string,
  lookups: readonly PhoneLookup[],
  when: LookupRecording = 'with-call',
): void {
  const charged = lookups.filter((l) => !l.client || clientAccess(viewer, l.client) !== 'full').map((l) => l.e164)
  if (charged.length > 0) limiter.spend(viewer.staffId, charged, ctx.clock.now())
  for (const l of lookups) {
    if (l.client && !seesFullPhones(viewer, l.client)) recordLookup(ctx, when, `client:${l.client.id}`, { via, phone: l.e164 })
  }
}

/**
 * Partial digits match only clients the caller has full access to; when some of those show
 * their phones masked (a senior's team, a manager's branch), the search is on record like a
 * reveal, written right after the answer.
 */
export function auditDigitMatches(ctx: HandlerContext, viewer: Viewer, digits: string, matched: ReadonlyArray<ClientOwnership & { id: number }>): void {
  if (matched.length === 0) return
  const masked = matched.filter((c) => !seesFullPhones(viewer, c)).map((c) => c.id)
  // no more of the digits than a masked number shows: the last four
  const shown = digits.length <= 4 ? digits : `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`
  if (masked.length > 0) recordLookup(ctx, 'after-answer', null, { via: 'search', digits: shown, clients: masked })
}
