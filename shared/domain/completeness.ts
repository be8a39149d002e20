import type { Tier } from './client-enums'

/** The fields that make a profile complete for its tier (seed 000: 完整性、真实性、唯一性). */
const BASE = ['name', 'phones', 'sourceChannel', 'region', 'demandType', 'purchaseHorizon', 'needs'] as const
const PERSON = ['gender', 'age'] as const
const ORG = ['org.legalRep', 'org.contactName', 'org.officeAddress'] as const
const DEEP = ['address', 'employer', 'industry', 'wealthTier', 'householdSize', 'community'] as const

export type CompletenessField = (typeof BASE)[number] | (typeof PERSON)[number] | (typeof ORG)[number] | (typeof DEEP)[number]

/** Required fields per tier: VIP and 重点 clients need the deep profile too. */
function requiredFields(kind: 'person' | 'org', tier: Tier): CompletenessField[] {
  const deep = tier === 'vip' || tier === 'key' ? (kind === 'org' ? (['community'] as const) : DEEP) : []
  return [...BASE, ...(kind === 'person' ? PERSON : ORG), ...deep]
}

export interface CompletenessInput {
  kind: 'person' | 'org'
  tier: Tier
  values: Partial<Record<CompletenessField, unknown>>
}

function filled(v: unknown): boolean {
  if (v === null || v === undefined) return false
  if (typeof v === 'string') return v.trim().length > 0
  if (Array.isArray(v)) return v.length > 0
  if (typeof v === 'number') return v > 0 || v === 0
  return true
}

/** 0–100 score plus the fields still missing, shown on the profile and in lists. */
export function completeness(input: CompletenessInput): { score: number; missing: CompletenessField[] } {
  const req = requiredFields(input.kind, input.tier)
  const missing = req.filter((f) => !filled(input.values[f]))
  return { score: Math.round(((req.length - missing.length) / req.length) * 100), missing }
}
