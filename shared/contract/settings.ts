import { z } from 'zod'
import { type ContractTable } from './common'
import { BranchRulesSchema } from '../domain/rules'

export const settingsContract = {
  'settings.getRules': {
    input: z.strictObject({}),
    output: BranchRulesSchema,
    write: false,
    summary: "The branch's follow-up, pool and protection rules.",
  },
  'settings.setRules': {
    input: BranchRulesSchema.partial(),
    output: BranchRulesSchema,
    write: true,
    summary: 'Change rules (managers and admins); the scheduler uses them at its next run.',
  },
} as const satisfies ContractTable
