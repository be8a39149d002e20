import { z } from 'zod'

/** The five staff roles of a branch (DESIGN §1). */
export const Role = z.enum(['front_desk', 'agent', 'senior_agent', 'manager', 'admin'])
export type Role = z.infer<typeof Role>

export const ROLES: readonly Role[] = Role.options
