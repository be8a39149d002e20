import { z } from 'zod'
import { Id, IsoTime, Ok, Page, PageInput, SortDir, type ContractTable } from './common'
import { Role } from '../domain/roles'
import { PhoneText } from '../domain/phone'
import { textField } from '../domain/text-kinds'

const Name = textField('name', 40, 1)
const Username = textField('username', 32, 3).regex(/^[a-zA-Z0-9_.-]+$/)
const Team = textField('line', 40).nullable()
const Region = textField('line', 40).nullable()

export const StaffSelf = z.object({
  id: Id,
  username: z.string(),
  name: z.string(),
  role: Role,
  team: z.string().nullable(),
  region: z.string().nullable(),
})
export type StaffSelf = z.infer<typeof StaffSelf>

export const StaffRow = StaffSelf.extend({
  phone: z.string().nullable(),
  active: z.boolean(),
  leftAt: IsoTime.nullable(),
  createdAt: IsoTime,
  version: z.number().int(),
})
export type StaffRow = z.infer<typeof StaffRow>

export const StaffSortField = z.enum(['id', 'username', 'name', 'role', 'team', 'region', 'active', 'createdAt'])

export const StaffListInput = PageInput.extend({
  sort: z.strictObject({ field: StaffSortField, dir: SortDir }).optional(),
  role: Role.optional(),
  active: z.boolean().optional(),
  q: textField('query', 40).optional(),
})

export const StaffCreateInput = z.strictObject({
  username: Username,
  name: Name,
  role: Role,
  team: Team.default(null),
  region: Region.default(null),
  phone: PhoneText.nullable().default(null),
  password: z.string().min(8).max(128),
})

export const StaffUpdateInput = z.strictObject({
  id: Id,
  /** the version the editor read; a stale write is refused with STALE_WRITE. */
  version: z.number().int().min(0),
  name: Name.optional(),
  role: Role.optional(),
  team: Team.optional(),
  region: Region.optional(),
  phone: PhoneText.nullable().optional(),
})

export const staffContract = {
  'staff.list': {
    input: StaffListInput,
    output: Page(StaffRow),
    write: false,
    summary: 'Staff accounts, paged, sorted and filtered on the host.',
  },
  'staff.get': { input: z.strictObject({ id: Id }), output: StaffRow, write: false, summary: 'One staff account.' },
  'staff.create': { input: StaffCreateInput, output: StaffRow, write: true, summary: 'Create a staff account.' },
  'staff.update': {
    input: StaffUpdateInput,
    output: StaffRow,
    write: true,
    summary: 'Edit a staff account (optimistic: pass the version you read).',
  },
  'staff.deactivate': {
    input: z.strictObject({ id: Id, reason: textField('line', 200).default('') }),
    output: StaffRow,
    write: true,
    summary: 'Deactivate a staff account; all their sessions end at once.',
  },
  'staff.reactivate': { input: z.strictObject({ id: Id }), output: StaffRow, write: true, summary: 'Re-activate an account.' },
  'staff.resetPassword': {
    input: z.strictObject({ id: Id, newPassword: z.string().min(8).max(128) }),
    output: Ok,
    write: true,
    summary: "Set a staff member's password; their sessions end.",
  },
  'staff.unlockSignIn': {
    input: z.strictObject({ id: Id }),
    output: z.object({ wasLocked: z.boolean() }),
    write: true,
    summary:
      "Lift a staff member's sign-in and password-change locks after failed attempts, and those of the addresses that failed on the account.",
  },
  'staff.depart': {
    input: z.strictObject({
      id: Id,
      /** colleagues who take the clients, shared evenly; empty: all go to the public pool. */
      toStaffIds: z.array(Id).max(50).default([]),
      reason: textField('line', 200).default('离职'),
    }),
    output: z.object({
      /** the job that moves the clients (jobs.get: its progress) */
      jobId: Id,
      /** whether the clients have all moved already (a few hundred move within the call) */
      finished: z.boolean(),
      /** clients going to colleagues and to the pool */
      moved: z.number().int(),
      pooled: z.number().int(),
      sessionsEnded: z.number().int(),
    }),
    write: true,
    summary: 'Deactivate a departing agent and end their sessions at once; their clients go to chosen colleagues or the pool with their open tasks, within the call when few, else as a job (jobId).',
  },
} as const satisfies ContractTable
