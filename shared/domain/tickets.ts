import type { Tier } from './client-enums'

/**
 * Complaints and service tickets (issue #20, seeds 001 and 004): what a ticket is about, how it
 * came in, the states it goes through and the deadlines it is held to.
 */

/** How a ticket came in: a phone call, a visit to the client, the front desk. */
export const TICKET_CHANNELS = ['phone', 'visit', 'desk'] as const
export type TicketChannel = (typeof TICKET_CHANNELS)[number]

/** The families of the standard taxonomy: complaints, owner (业主) service requests, post-sale items. */
export const TICKET_KINDS = ['complaint', 'owner_service', 'post_sale'] as const
export type TicketKind = (typeof TICKET_KINDS)[number]

/** new → dispatched → handling → fed_back → closed (seed 001: 接待, 分派, 处理, 反馈, 关闭 then 回访). */
export const TICKET_STATES = ['new', 'dispatched', 'handling', 'fed_back', 'closed'] as const
export type TicketState = (typeof TICKET_STATES)[number]

/** What moves a ticket on. A dispatched or handling ticket may be dispatched again (reassigned). */
export type TicketAction = 'dispatch' | 'start' | 'feedBack' | 'close'

const FROM: Record<TicketAction, readonly TicketState[]> = {
  dispatch: ['new', 'dispatched', 'handling'],
  start: ['dispatched'],
  feedBack: ['handling'],
  close: ['fed_back'],
}
const TO: Record<TicketAction, TicketState> = { dispatch: 'dispatched', start: 'handling', feedBack: 'fed_back', close: 'closed' }

/** The state an action leads to from `state`, or null when the action does not apply there. */
export function nextTicketState(state: TicketState, action: TicketAction): TicketState | null {
  return FROM[action].includes(state) ? TO[action] : null
}

/** Hours to answer a ticket of a category, per client tier (VIP fastest: seed 004, 服务响应时间). */
export type TierHours = Record<Tier, number>

/** Longest deadline a category may set: 30 days. */
export const MAX_TICKET_HOURS = 720

/** When a ticket dispatched at `dispatchedAt` (ISO) must be fed back to its client. */
export function ticketDeadline(hours: TierHours, tier: Tier, dispatchedAt: string): string {
  return new Date(Date.parse(dispatchedAt) + hours[tier] * 3_600_000).toISOString()
}

/** Whether a ticket is past its deadline at `nowIso`: only while someone still owes the client an answer. */
export function ticketOverdue(t: { state: TicketState; deadlineAt: string | null }, nowIso: string): boolean {
  return (t.state === 'dispatched' || t.state === 'handling') && t.deadlineAt !== null && t.deadlineAt < nowIso
}

/** A category of the standard taxonomy as seeded (the manager edits names and hours later). */
export interface TicketCategoryDefault {
  code: string
  kind: TicketKind
  nameZh: string
  nameEn: string
  hours: TierHours
}

const h = (vip: number, key: number, normal: number, potential: number): TierHours => ({ vip, key, normal, potential })

/**
 * The default taxonomy: seed 001 asks for one standard classification so that A's complaint about
 * a door and B's are the same item; VIP clients are answered first (seed 004).
 */
export const DEFAULT_TICKET_CATEGORIES: readonly TicketCategoryDefault[] = [
  { code: 'attitude', kind: 'complaint', nameZh: '服务态度', nameEn: 'Service attitude', hours: h(4, 12, 24, 24) },
  { code: 'promise', kind: 'complaint', nameZh: '承诺未兑现', nameEn: 'Promise not kept', hours: h(4, 12, 24, 24) },
  { code: 'listing', kind: 'complaint', nameZh: '房源信息不实', nameEn: 'Listing information wrong', hours: h(8, 24, 48, 48) },
  { code: 'fees', kind: 'complaint', nameZh: '费用与合同', nameEn: 'Fees and contract', hours: h(8, 24, 48, 48) },
  { code: 'refund', kind: 'complaint', nameZh: '退订退款', nameEn: 'Deposit refund', hours: h(8, 24, 48, 48) },
  { code: 'owner_request', kind: 'owner_service', nameZh: '业主服务请求', nameEn: 'Owner service request', hours: h(8, 24, 48, 72) },
  { code: 'handover', kind: 'post_sale', nameZh: '交房', nameEn: 'Handover', hours: h(24, 48, 72, 72) },
  { code: 'defect_doors', kind: 'post_sale', nameZh: '验房问题：门窗', nameEn: 'Inspection defect: doors and windows', hours: h(24, 48, 72, 72) },
  { code: 'defect_plumbing', kind: 'post_sale', nameZh: '验房问题：水电', nameEn: 'Inspection defect: plumbing and wiring', hours: h(24, 48, 72, 72) },
  { code: 'defect_walls', kind: 'post_sale', nameZh: '验房问题：墙地面与渗漏', nameEn: 'Inspection defect: walls, floors and leaks', hours: h(24, 48, 72, 72) },
  { code: 'other', kind: 'complaint', nameZh: '其他', nameEn: 'Other', hours: h(8, 24, 48, 48) },
]
