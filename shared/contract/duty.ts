import { z } from 'zod'
import { Id, Ok, type ContractTable } from './common'
import { textField } from '../domain/text-kinds'

export const DutyEntry = z.strictObject({ staffId: Id, region: textField('line', 40).nullable().default(null), clientKind: z.enum(['person', 'org']).nullable().default(null) })
/** A duty entry as stored and shown, with the agent's name. */
const DutyRow = z.object({ staffId: Id, region: z.string().nullable(), clientKind: z.enum(['person', 'org']).nullable(), staffName: z.string() })
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

export const dutyContract = {
  'duty.get': {
    input: z.strictObject({ day: Day }),
    output: z.object({ day: Day, entries: z.array(DutyRow) }),
    write: false,
    summary: 'Who is on duty on a day (for new-enquiry assignment).',
  },
  'duty.set': {
    input: z.strictObject({ day: Day, entries: z.array(DutyEntry).max(100) }),
    output: Ok,
    write: true,
    summary: 'Set the duty roster of a day (managers).',
  },
} as const satisfies ContractTable
