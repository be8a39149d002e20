import { z } from 'zod'
import { Id, IsoTime, Ok, type ContractTable } from './common'
import { CardRead } from './cards'
import { textField } from '../domain/text-kinds'

export const Activity = z.object({
  id: Id,
  name: z.string(),
  startsAt: IsoTime,
  endsAt: IsoTime,
  place: z.string().nullable(),
  capacity: z.number().int().nullable(),
  points: z.number().int(),
  signedUp: z.number().int(),
  checkedIn: z.number().int(),
})

export const activitiesContract = {
  'activities.create': {
    input: z.strictObject({ name: textField('line', 60, 1), startsAt: IsoTime, endsAt: IsoTime, place: textField('line', 100).optional(), capacity: z.number().int().min(1).max(10_000).optional(), points: z.number().int().min(0).max(10_000).default(0) }),
    output: Activity,
    write: true,
    summary: 'Create a club activity (managers).',
  },
  'activities.list': {
    input: z.strictObject({ from: IsoTime.optional() }),
    output: z.object({ activities: z.array(Activity) }),
    write: false,
    summary: 'Club activities from a date on.',
  },
  'activities.signUp': {
    input: z.strictObject({ activityId: Id, clientId: Id }),
    output: Ok,
    write: true,
    summary: 'Sign a member up for an activity (capacity applies).',
  },
  'activities.checkIn': {
    input: z.strictObject({ activityId: Id, read: CardRead }),
    output: z.object({ clientId: Id, name: z.string(), pointsAwarded: z.number().int() }),
    write: true,
    summary: 'Check a member in by swiping their card; awards the activity points once.',
  },
} as const satisfies ContractTable
