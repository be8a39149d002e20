import type { DomainHandlers } from '../../api/handler'
import { requireSession } from '../../api/require-session'

/** Per-user preferences: grid columns, saved views. */
export const prefsHandlers: DomainHandlers<'prefs.get' | 'prefs.set'> = {
  'prefs.get': async ({ key }, ctx) => {
    const s = requireSession(ctx)
    const r = await ctx.db
      .selectFrom('user_prefs')
      .select('value')
      .where('staff_id', '=', s.staffId)
      .where('key', '=', key)
      .executeTakeFirst()
    return { value: r ? (JSON.parse(r.value) as unknown) : null }
  },
  'prefs.set': async ({ key, value }, ctx) => {
    const s = requireSession(ctx)
    const now = ctx.clock.now().toISOString()
    await ctx.db
      .insertInto('user_prefs')
      .values({ staff_id: s.staffId, key, value: JSON.stringify(value ?? null), updated_at: now })
      .onConflict((oc) => oc.columns(['staff_id', 'key']).doUpdateSet({ value: JSON.stringify(value ?? null), updated_at: now }))
      .execute()
    return { ok: true as const }
  },
}
