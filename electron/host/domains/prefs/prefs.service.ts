import { ApiFailure } from '../../api/api-failure'
import type { DomainHandlers } from '../../api/handler'

/** Per-user preferences: grid columns, saved views. */
export const prefsHandlers: DomainHandlers<'prefs.get' | 'prefs.set'> = {
  'prefs.get': async ({ key }, ctx) => {
    if (!ctx.session) throw new ApiFailure('UNAUTHENTICATED', 'sign in first')
    const r = await ctx.db
      .selectFrom('user_prefs')
      .select('value')
      .where('staff_id', '=', ctx.session.staffId)
      .where('key', '=', key)
      .executeTakeFirst()
    return { value: r ? (JSON.parse(r.value) as unknown) : null }
  },
  'prefs.set': async ({ key, value }, ctx) => {
    if (!ctx.session) throw new ApiFailure('UNAUTHENTICATED', 'sign in first')
    const now = ctx.clock.now().toISOString()
    await ctx.db
      .insertInto('user_prefs')
      .values({ staff_id: ctx.session.staffId, key, value: JSON.stringify(value ?? null), updated_at: now })
      .onConflict((oc) => oc.columns(['staff_id', 'key']).doUpdateSet({ value: JSON.stringify(value ?? null), updated_at: now }))
      .execute()
    return { ok: true as const }
  },
}
