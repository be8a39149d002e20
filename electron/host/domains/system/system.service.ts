import type { DomainHandlers } from '../../api/handler'

export const systemHandlers: DomainHandlers<'system.ping'> = {
  'system.ping': async (_input, ctx) => ({ pong: true as const, at: ctx.clock.now().toISOString() }),
}
