import type { HandlersOf } from '../../api/handler'

/** Is the host there (and what time it thinks it is). */
export const systemHandlers: HandlersOf<'system'> = {
  'system.ping': async (_input, ctx) => ({ pong: true as const, at: ctx.clock.now().toISOString() }),
}
