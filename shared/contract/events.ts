import { z } from 'zod'
import { HostText } from './host-text'

/** Server-pushed events, typed like methods. */
export const events = {
  'session.ended': z.object({ reason: z.enum(['logout', 'deactivated', 'password_changed', 'expired']) }),
  'staff.changed': z.object({ id: z.number().int() }),
  /** units of a project changed status: boards repaint those cells. */
  'board.changed': z.object({ projectId: z.number().int(), unitIds: z.array(z.number().int()) }),
  /** a subscription day (认购日) changed: its console, door, desk and lobby display read it again. */
  'subscription.changed': z.object({ eventId: z.number().int() }),
  /** a task or notice for the receiving staff member (OS notification on the desktop). */
  'notice.new': z.object({ title: HostText, body: HostText, clientId: z.number().int().nullable(), taskId: z.number().int().nullable() }),
} as const

export type EventName = keyof typeof events
export type EventPayload<N extends EventName> = z.infer<(typeof events)[N]>

/** What travels on the socket. */
export type ServerFrame =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: { code: string; message: string; field?: string } }
  /** `seq` numbers the host's one event stream (gaps are events for others); see ResumeFrame. */
  | { type: 'event'; name: EventName; payload: unknown; seq: number }
  /** the first frame on every socket: which run of the host this is, and the last event number so far. */
  | { type: 'hello'; epoch: string; seq: number }

/** A call: one method, answered by a result frame with the same id. */
export const CallFrame = z.object({
  id: z.number().int().min(0),
  method: z.string().max(64),
  input: z.unknown(),
  token: z.string().max(128).optional(),
  /** an idempotency key: a write sent again with the same key (after a cut) is applied once. */
  key: z.string().min(1).max(64).optional(),
})

/**
 * Sent first on a socket that replaced a lost one: identifies it with the token (as any call
 * would) and asks for the events after `after` of host run `epoch`. They come as event frames
 * before the result, whose value is ResumeResult: `refetch` when they are no longer kept (or the
 * host restarted), so the views must be fetched again.
 */
export const ResumeFrame = z.object({
  id: z.number().int().min(0),
  resume: z.object({ epoch: z.string().max(64), after: z.number().int().min(0) }),
  token: z.string().max(128),
})
export type ResumeResult = { refetch: boolean }

export const ClientFrame = z.union([ResumeFrame, CallFrame])
export type ClientFrame = z.infer<typeof ClientFrame>
