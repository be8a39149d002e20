import { useCallback } from 'react'
import type { OutputOf } from '@shared/contract'
import { mayCall } from '@shared/domain/permissions'
import type { Role } from '@shared/domain/roles'
import { useApi, useMe } from '../../api/session-context'
import { NavCount, useNavCount } from '../../app/nav-count'

type Request = OutputOf<'changes.list'>['requests'][number]

/** Whether a pending request waits for this person's decision: their role's step, not their own request, not already decided by them. */
export function awaitsDecisionBy(r: Request, me: { id: number; role: Role }): boolean {
  const step = r.currentStep === null ? undefined : r.steps[r.currentStep]
  return step !== undefined && step.role === me.role && r.requestedById !== me.id && !r.steps.some((s) => s.byId === me.id)
}

// one count for the menu and the 变更审批 tab, so deciding on the tab updates the menu too
const pending = new NavCount()

/** Sets the count of requests awaiting the signed-in approver (from a fresh changes.list of pending requests). */
export function setPendingApprovals(requests: readonly Request[], me: { id: number; role: Role }): void {
  pending.set(requests.filter((r) => awaitsDecisionBy(r, me)).length)
}

/** How many change requests await the signed-in approver's decision (0 for roles that decide none), live. */
export function usePendingApprovalCount(): number {
  const api = useApi()
  const me = useMe()
  const approver = mayCall(me.role, 'changes.decide')
  const load = useCallback(async () => {
    const r = await api.try('changes.list', { status: 'pending' })
    return r.ok ? r.value.requests.filter((x) => awaitsDecisionBy(x, me)).length : null
  }, [api, me])
  return useNavCount(pending, approver ? load : null)
}
