import { z } from 'zod'

/** The five staff roles of a branch (DESIGN §1). */
export const Role = z.enum(['front_desk', 'agent', 'senior_agent', 'manager', 'admin'])
export type Role = z.infer<typeof Role>

export const ROLES: readonly Role[] = Role.options

/** Seniority, lowest first: who may act on whom (a manager departs only staff below them) and who approves above a requester. */
const RANK: Record<Role, number> = { front_desk: 0, agent: 1, senior_agent: 2, manager: 3, admin: 4 }

/** Whether role `a` is above role `b`. */
export function outranks(a: Role, b: Role): boolean {
  return RANK[a] > RANK[b]
}
