import { z } from 'zod'
import { outranks, type Role } from './roles'

/** The kinds of change request (DESIGN §5): 更名, 换房, 退房, 调价, 折扣, and 批量调价 of many units at once. */
export const ChangeKind = z.enum(['rename', 'swap', 'cancel', 'price', 'discount', 'bulkPrice'])
export type ChangeKind = z.infer<typeof ChangeKind>

/**
 * The roles that may decide an approval step. Front desk and agents ask for changes; they do not
 * approve them (and the approvals queue is not theirs to see).
 */
export const APPROVER_ROLES = ['senior_agent', 'manager', 'admin'] as const satisfies readonly Role[]
export const ApproverRole = z.enum(APPROVER_ROLES)
export type ApproverRole = z.infer<typeof ApproverRole>

export const MAX_APPROVAL_STEPS = 4

/**
 * The ordered approval steps of one kind of change: each step is decided by one person of its role,
 * and nobody decides two steps of the same request. Errors carry a reason key the board translates.
 */
export const ApprovalSteps = z.array(z.string()).superRefine((steps, ctx) => {
  if (steps.length === 0) ctx.addIssue({ code: 'custom', message: 'at least one approval step', params: { reason: 'no_steps' } })
  if (steps.length > MAX_APPROVAL_STEPS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_APPROVAL_STEPS} approval steps`, params: { reason: 'too_many_steps' } })
  steps.forEach((role, i) => {
    if (!ApproverRole.safeParse(role).success) {
      ctx.addIssue({ code: 'custom', path: [i], message: `${role} may not approve (${APPROVER_ROLES.join(', ')})`, params: { reason: 'not_approver' } })
    }
  })
}).pipe(z.array(ApproverRole))

/** The approval steps of every kind of change: a branch setting. */
export const ApprovalStepsSchema = z
  .object({ rename: ApprovalSteps, swap: ApprovalSteps, cancel: ApprovalSteps, price: ApprovalSteps, discount: ApprovalSteps, bulkPrice: ApprovalSteps })
  .strict()
export type ApprovalStepsConfig = z.infer<typeof ApprovalStepsSchema>

/** One manager decides every kind of change, as before steps were configurable. */
export const DEFAULT_APPROVAL_STEPS: ApprovalStepsConfig = {
  rename: ['manager'],
  swap: ['manager'],
  cancel: ['manager'],
  price: ['manager'],
  discount: ['manager'],
  bulkPrice: ['manager'],
}

/**
 * The steps a request is stored with, given the branch's steps for its kind and the requester's role.
 * Nobody's change is waved through by their own peers, and nobody decides their own request (see
 * change-approval.ts): each step of the requester's own role goes to the role above (资深经纪人 ->
 * 店长, 店长 -> 管理员), once, unless that role already decides a step; and when no step is then
 * above the requester, the role above decides a last step. So a branch with a single manager still
 * gets the manager's own requests decided (by the admin), and a plan of senior agents alone never
 * decides a senior agent's request. An agent's request keeps the steps as set.
 */
export function planFor(steps: readonly ApproverRole[], requester: Role): ApproverRole[] {
  const above = APPROVER_ROLES.find((r) => outranks(r, requester))
  if (above === undefined) return [...steps]
  const plan: ApproverRole[] = []
  for (const role of steps) {
    if (role !== requester) plan.push(role)
    else if (!steps.includes(above) && !plan.includes(above)) plan.push(above)
  }
  if (!plan.some((r) => outranks(r, requester))) plan.push(above)
  return plan
}
