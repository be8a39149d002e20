import type { z } from 'zod'
import type { ApprovalStep } from '@shared/contract/changes'
import type { ApproverRole } from '@shared/domain/approval-steps'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext, SessionInfo } from '../../api/handler'
import { decisionBy, decisionsOf, insertDecision, type ChangeRecord } from './changes.repository'

type Row = ChangeRecord

/** The roles of a request's approval steps, as fixed when it was (re)submitted. */
export function planOf(r: Row): ApproverRole[] {
  return JSON.parse(r.steps) as ApproverRole[]
}

/**
 * Whether this person may decide the request's current step: someone of the step's role who has
 * decided no other step of this round, and never the requester (at any step, whatever their role
 * now: planFor keeps their role out of the plan, a promotion since must not bring it back).
 * Returns the step's role and whether it is the last one.
 */
export async function mayDecide(ctx: HandlerContext, r: Row, s: SessionInfo): Promise<{ role: ApproverRole; of: number; last: boolean }> {
  const plan = planOf(r)
  const role = plan[r.step]!
  const step = r.step + 1
  if (r.requested_by === s.staffId) {
    throw new ApiFailure('FORBIDDEN', `you asked for this change; another ${role} decides step ${step}`, 'id', 'own_request', { step, of: plan.length, role })
  }
  if (s.role !== role) {
    throw new ApiFailure('FORBIDDEN', `step ${step} of ${plan.length} of this request is decided by a ${role}, not a ${s.role}`, 'id', 'not_your_step', { step, of: plan.length, role })
  }
  const earlier = await decisionBy(ctx.db, r.id, r.round, s.staffId)
  if (earlier) {
    throw new ApiFailure('FORBIDDEN', `you already approved step ${earlier.step + 1} of this request; another ${role} decides step ${step}`, 'id', 'decided_before', {
      step: earlier.step + 1,
      role,
    })
  }
  return { role, of: plan.length, last: r.step === plan.length - 1 }
}

/** Records one decision in the request's approval trail. */
export async function recordDecision(ctx: HandlerContext, r: Row, d: { staffId: number; role: ApproverRole; approve: boolean; comment: string | null; at: string }) {
  await insertDecision(ctx.db, { changeId: r.id, round: r.round, step: r.step, role: d.role, staffId: d.staffId, approve: d.approve, comment: d.comment, at: d.at })
}

/** The steps of each request's current round with their decisions, by request id. */
export async function trailsOf(ctx: HandlerContext, rows: readonly Row[]): Promise<Map<number, Array<z.infer<typeof ApprovalStep>>>> {
  const out = new Map<number, Array<z.infer<typeof ApprovalStep>>>()
  if (rows.length === 0) return out
  const decisions = await decisionsOf(
    ctx.db,
    rows.map((r) => r.id),
  )
  for (const r of rows) {
    const mine = decisions.filter((d) => d.change_id === r.id && d.round === r.round)
    out.set(
      r.id,
      planOf(r).map((role, i) => {
        const d = mine.find((x) => x.step === i)
        return {
          role,
          decision: d ? (d.approve ? ('approved' as const) : ('rejected' as const)) : null,
          byId: d?.staff_id ?? null,
          by: d?.name ?? null,
          at: d?.at ?? null,
          comment: d?.comment ?? null,
        }
      }),
    )
  }
  return out
}
