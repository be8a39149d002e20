import { useCallback, useEffect, useSyncExternalStore } from 'react'
import type { OutputOf } from '@shared/contract'
import { mayCall } from '@shared/domain/permissions'
import type { Role } from '@shared/domain/roles'
import { useReconnected } from '../../api/connection'
import { useApi, useMe } from '../../api/session-context'
import { useNoticeBursts } from '../work/live-notices'

type Request = OutputOf<'changes.list'>['requests'][number]

/** Whether a pending request waits for this person's decision: their role's step, not their own request, not already decided by them. */
export function awaitsDecisionBy(r: Request, me: { id: number; role: Role }): boolean {
  const step = r.currentStep === null ? undefined : r.steps[r.currentStep]
  return step !== undefined && step.role === me.role && r.requestedById !== me.id && !r.steps.some((s) => s.byId === me.id)
}

// one count for the menu and the 变更审批 tab, so deciding on the tab updates the menu too
let count = 0
const watchers = new Set<() => void>()

/** Sets the count of requests awaiting the signed-in approver (from a fresh changes.list of pending requests). */
export function setPendingApprovals(requests: readonly Request[], me: { id: number; role: Role }): void {
  const next = requests.filter((r) => awaitsDecisionBy(r, me)).length
  if (next === count) return
  count = next
  watchers.forEach((w) => w())
}

/** How many change requests await the signed-in approver's decision (0 for roles that decide none); reloads on notices and reconnects. */
export function usePendingApprovalCount(): number {
  const api = useApi()
  const me = useMe()
  const approver = mayCall(me.role, 'changes.decide')
  const reload = useCallback(() => {
    if (!approver) return
    void api.try('changes.list', { status: 'pending' }).then((r) => r.ok && setPendingApprovals(r.value.requests, me))
  }, [api, me, approver])
  useEffect(reload, [reload])
  useNoticeBursts(reload)
  useReconnected(reload)
  const n = useSyncExternalStore(
    (w) => {
      watchers.add(w)
      return () => watchers.delete(w)
    },
    () => count,
  )
  return approver ? n : 0
}
