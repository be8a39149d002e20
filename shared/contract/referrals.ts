import { z } from 'zod'
import { Id, Ok, type ContractTable } from './common'

export const referralsContract = {
  'referrals.create': {
    input: z.strictObject({ referrerId: Id, referredId: Id }),
    output: Ok,
    write: true,
    summary: 'Record that one client referred another; the referrer earns points when the referred client signs.',
  },
} as const satisfies ContractTable
