import { ApiFailure } from './api-failure'
import type { SessionInfo } from './handler'

/** The signed-in staff member behind a call, for handlers that act as them; UNAUTHENTICATED when there is none. */
export function requireSession(ctx: { session: SessionInfo | null }): SessionInfo {
  if (!ctx.session) throw new ApiFailure('UNAUTHENTICATED', 'sign in first')
  return ctx.session
}
