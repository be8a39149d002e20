import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { readPref, writePref } from './prefs.repository'

/** Per-user preferences: grid columns, saved views. */
export const prefsHandlers: HandlersOf<'prefs'> = {
  'prefs.get': async ({ key }, ctx) => {
    const value = await readPref(ctx.db, requireSession(ctx).staffId, key)
    return { value: value !== undefined ? (JSON.parse(value) as unknown) : null }
  },
  'prefs.set': async ({ key, value }, ctx) => {
    await writePref(ctx.db, requireSession(ctx).staffId, key, JSON.stringify(value ?? null), ctx.clock.now().toISOString())
    return { ok: true as const }
  },
}
