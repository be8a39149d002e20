import type { HandlersOf } from '../../api/handler'
import { getRules, saveRules } from './rules.repository'

/** The branch's follow-up, pool and protection rules (DESIGN §6). */
export const settingsHandlers: HandlersOf<'settings'> = {
  'settings.getRules': async (_input, ctx) => getRules(ctx.db),

  'settings.setRules': async (changes, ctx) => {
    const next = { ...(await getRules(ctx.db)), ...changes }
    await saveRules(ctx.db, next, ctx.clock.now().toISOString())
    ctx.auditTarget('settings:rules')
    return next
  },
}
