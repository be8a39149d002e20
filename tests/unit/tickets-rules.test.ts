import { describe, expect, it } from 'vitest'
import { DEFAULT_TICKET_CATEGORIES, nextTicketState, ticketDeadline, ticketOverdue, TICKET_STATES, type TicketAction } from '@shared/domain/tickets'
import { mayCloseTicket, mayDispatchTicket, mayHandleTicket, mayOpenTicket, seesTicket } from '@shared/domain/tickets-access'

describe('ticket states', () => {
  it('go new → dispatched → handling → fed_back → closed, and nothing else', () => {
    const path: Array<[TicketAction, string]> = [
      ['dispatch', 'dispatched'],
      ['start', 'handling'],
      ['feedBack', 'fed_back'],
      ['close', 'closed'],
    ]
    let state = 'new' as (typeof TICKET_STATES)[number]
    for (const [action, to] of path) {
      const next = nextTicketState(state, action)
      expect(next).toBe(to)
      state = next!
    }
    // every other move is refused
    const allowed = new Set(['new dispatch', 'dispatched dispatch', 'handling dispatch', 'dispatched start', 'handling feedBack', 'fed_back close'])
    for (const s of TICKET_STATES) {
      for (const a of ['dispatch', 'start', 'feedBack', 'close'] as const) {
        expect(nextTicketState(s, a) !== null, `${s} ${a}`).toBe(allowed.has(`${s} ${a}`))
      }
    }
  })

  it('a reassignment (dispatch again) starts the handling over', () => {
    expect(nextTicketState('handling', 'dispatch')).toBe('dispatched')
    expect(nextTicketState('fed_back', 'dispatch')).toBeNull()
    expect(nextTicketState('closed', 'dispatch')).toBeNull()
  })
})

describe('deadlines by category and tier', () => {
  const at = '2026-11-02T02:00:00.000Z'
  it('VIP clients are answered first in every default category (seed 004)', () => {
    for (const c of DEFAULT_TICKET_CATEGORIES) {
      expect(c.hours.vip, c.code).toBeLessThan(c.hours.normal)
      expect(c.hours.key, c.code).toBeLessThanOrEqual(c.hours.normal)
      expect(c.hours.normal, c.code).toBeLessThanOrEqual(c.hours.potential)
    }
  })

  it('is the dispatch time plus the hours of the category for the tier', () => {
    const attitude = DEFAULT_TICKET_CATEGORIES.find((c) => c.code === 'attitude')!
    expect(ticketDeadline(attitude.hours, 'vip', at)).toBe('2026-11-02T06:00:00.000Z')
    expect(ticketDeadline(attitude.hours, 'normal', at)).toBe('2026-11-03T02:00:00.000Z')
    const defect = DEFAULT_TICKET_CATEGORIES.find((c) => c.code === 'defect_plumbing')!
    expect(ticketDeadline(defect.hours, 'key', at)).toBe('2026-11-04T02:00:00.000Z')
  })

  it('a ticket is overdue only while someone owes the client an answer', () => {
    const deadlineAt = '2026-11-02T06:00:00.000Z'
    const later = '2026-11-02T06:00:01.000Z'
    expect(ticketOverdue({ state: 'dispatched', deadlineAt }, later)).toBe(true)
    expect(ticketOverdue({ state: 'handling', deadlineAt }, later)).toBe(true)
    expect(ticketOverdue({ state: 'handling', deadlineAt }, deadlineAt)).toBe(false)
    expect(ticketOverdue({ state: 'fed_back', deadlineAt }, later)).toBe(false)
    expect(ticketOverdue({ state: 'new', deadlineAt: null }, later)).toBe(false)
  })

  it('the taxonomy has complaints, owner service requests and post-sale items with unique codes', () => {
    expect(new Set(DEFAULT_TICKET_CATEGORIES.map((c) => c.kind))).toEqual(new Set(['complaint', 'owner_service', 'post_sale']))
    expect(new Set(DEFAULT_TICKET_CATEGORIES.map((c) => c.code)).size).toBe(DEFAULT_TICKET_CATEGORIES.length)
  })
})

describe('who does what with a ticket', () => {
  const owner = { staffId: 10, role: 'agent', team: '一组' } as const
  const colleague = { staffId: 11, role: 'agent', team: '一组' } as const
  const senior = { staffId: 12, role: 'senior_agent', team: '一组' } as const
  const desk = { staffId: 20, role: 'front_desk', team: null } as const
  const manager = { staffId: 30, role: 'manager', team: null } as const
  const admin = { staffId: 1, role: 'admin', team: null } as const
  const client = { ownerId: 10, ownerTeam: '一组' }
  const ticket = { ...client, intakeBy: 20, assigneeId: 11 }

  it('opening: the desk for anyone, agents for the clients they see in full, never the admin', () => {
    expect([owner, colleague, senior, desk, manager, admin].map((v) => mayOpenTicket(v, client))).toEqual([true, false, true, true, true, false])
  })

  it('seeing: the handler and the taker-in besides those who see the client in full', () => {
    expect([owner, colleague, senior, desk, manager, admin].map((v) => seesTicket(v, ticket))).toEqual([true, true, true, true, true, false])
    const other = { ...client, intakeBy: 10, assigneeId: 10 }
    expect([owner, colleague, senior, desk, manager, admin].map((v) => seesTicket(v, other))).toEqual([true, false, true, false, true, false])
  })

  it('dispatching, handling and closing', () => {
    expect([owner, colleague, senior, desk, manager, admin].map((v) => mayDispatchTicket(v, ticket))).toEqual([false, false, false, true, true, false])
    expect([owner, colleague, senior, desk, manager, admin].map((v) => mayHandleTicket(v, ticket))).toEqual([false, true, false, false, true, false])
    expect([owner, colleague, senior, desk, manager, admin].map((v) => mayCloseTicket(v, ticket))).toEqual([false, false, false, true, true, false])
  })
})
