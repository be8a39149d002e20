import type { HandlerContext } from '../../api/handler'

/**
 * After the commit, every screen showing the event (console, door, desk, lobby display) is told to
 * read it again: the board's own push path (`ctx.events`), so a pick or a call shows at once and the
 * screens poll only as a fallback.
 */
export function eventChanged(ctx: Pick<HandlerContext, 'afterCommit' | 'events'>, eventId: number): void {
  ctx.afterCommit(() => ctx.events.publish('subscription.changed', { eventId }))
}
