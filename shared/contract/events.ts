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
  | { type: 'event'; name: EventName; payload: unknown }

export const ClientFrame = z.object({
  id: z.number().int().min(0),
  method: z.string().max(64),
  input: z.unknown(),
  token: z.string().max(128).optional(),
})
export type ClientFrame = z.infer<typeof ClientFrame>
