import { z } from 'zod'
import { Id, IsoTime, Page, PageInput, type ContractTable } from './common'
import { Tier } from '../domain/client-enums'
import { HOLIDAY_KEYS } from '../domain/holidays'
import { textField } from '../domain/text-kinds'

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
export const HolidayKey = z.enum(HOLIDAY_KEYS)
/** What a greeting is for: a client's birthday or one of the holidays. */
export const Occasion = z.enum(['birthday', ...HOLIDAY_KEYS])
/** How a greeting reached the client; it is logged as a follow-up on this channel. */
export const GreetingChannel = z.enum(['wechat', 'sms', 'phone'])

/** A greeting already done: who, when, how. */
const GreetingDone = z.object({ by: z.string(), at: IsoTime, channel: GreetingChannel })

/** A client on a care list; the phone masked unless the viewer owns the client. */
export const CareClient = z.object({
  clientId: Id,
  code: z.string(),
  name: z.string(),
  tier: Tier,
  phone: z.string().nullable(),
  owner: z.object({ id: Id, name: z.string() }).nullable(),
  done: GreetingDone.nullable(),
})

export const BirthdayRow = CareClient.extend({
  birthDate: Day,
  /** the day the birthday is kept this year (29 February: 28 February in a common year) */
  date: Day,
  daysAway: z.number().int().min(0),
})

export const careContract = {
  'care.holidays': {
    input: z.strictObject({}),
    output: z.object({ today: Day, holidays: z.array(z.object({ key: HolidayKey, date: Day, daysAway: z.number().int().min(0) })) }),
    write: false,
    summary: 'The holidays of today and the coming 7 days (元旦, 春节, 元宵, 清明, 五一, 端午, 七夕, 中秋, 国庆, 重阳).',
  },
  'care.birthdays': {
    input: PageInput,
    output: Page(BirthdayRow).extend({ today: Day }),
    write: false,
    summary: "Birthdays of today and the coming 7 days among the clients the caller sees in full (an agent's own, a manager's branch), soonest first.",
  },
  'care.holidayClients': {
    input: PageInput.extend({ holiday: HolidayKey, date: Day }),
    output: Page(CareClient),
    write: false,
    summary: 'The clients to greet for a holiday (on its date, any year), VIP and 重点 first, among those the caller sees in full.',
  },
  'care.markDone': {
    input: z.strictObject({ clientId: Id, occasion: Occasion, date: Day, channel: GreetingChannel, content: textField('note', 2000, 1) }),
    output: z.object({ followUpId: Id }),
    write: true,
    summary: 'Mark a birthday or holiday greeting done; it is logged as a follow-up on its channel, so it counts as a contact.',
  },
} as const satisfies ContractTable
