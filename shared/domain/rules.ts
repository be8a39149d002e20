/** The branch's follow-up and protection rules with the seeds' defaults (DESIGN §6). */
export interface BranchRules {
  /** days a client stays with the agent who first received a phone enquiry. */
  phoneProtectionDays: number
  /** days a client stays with the agent who received a walk-in visit. */
  visitProtectionDays: number
  /** private clients one agent may own before handing some over (客源上限). */
  ownerCap: number
}

export const DEFAULT_RULES: BranchRules = {
  phoneProtectionDays: 15,
  visitProtectionDays: 7,
  ownerCap: 200,
}

const DAY = 86_400_000

/** When the first receiver's protection ends: visits 7 days, enquiries by phone and others 15. */
export function protectionEnd(createdAt: Date, source: string, rules: BranchRules = DEFAULT_RULES): Date {
  const days = source === 'walk_in' ? rules.visitProtectionDays : rules.phoneProtectionDays
  return new Date(createdAt.getTime() + days * DAY)
}
