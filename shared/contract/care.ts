import { z } from 'zod'
import { Id, IsoTime, Page, PageInput, type ContractTable } from './common'
import { Stage, Tier } from '../domain/client-enums'
import { HOLIDAY_KEYS } from '../domain/holidays'
import { GREETING_PLACEHOLDERS, OCCASIONS } from '../domain/greeting-templates'
import { textField } from '../domain/text-kinds'

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
export const HolidayKey = z.enum(HOLIDAY_KEYS)
/** What a greeting is for: a client's birthday, a deal anniversary, a month after handover, or one of the holidays. */
export const Occasion = z.enum(OCCASIONS)
/** The occasions that come from a client's own history (a deal signed, a home handed over). */
export const Milestone = z.enum(['dealAnniversary', 'handoverMonth'])
/** How a greeting reached the client; it is logged as a follow-up on this channel. */
export const GreetingChannel = z.enum(['wechat', 'sms', 'phone'])

/** A list item worked: done (a follow-up on its channel) or skipped with a note; who, when. */
const GreetingDone = z.object({ by: z.string(), at: IsoTime, outcome: z.enum(['done', 'skipped']), channel: GreetingChannel.nullable(), note: z.string().nullable() })

/** A client on a care list; the phone masked unless the viewer owns the client. */
export const CareClient = z.object({
  clientId: Id,
  code: z.string(),
  name: z.string(),
  tier: Tier,
  phone: z.string().nullable(),
  owner: z.object({ id: Id, name: z.string() }).nullable(),
  done: GreetingDone.nullable(),
  /** the occasion's greeting template filled for this client (the words an SMS would carry) */
  greeting: z.string(),
})

export const BirthdayRow = CareClient.extend({
  birthDate: Day,
  /** the day the birthday is kept this year (29 February: 28 February in a common year) */
  date: Day,
  daysAway: z.number().int().min(0),
})

/** A deal anniversary or a handover's +1 month call on a care list. */
export const MilestoneRow = CareClient.extend({
  occasion: Milestone,
  date: Day,
  daysAway: z.number().int().min(0),
  /** the day the deal was signed, or the home handed over */
  since: Day,
  /** the anniversary's years; null for a handover */
  years: z.number().int().min(1).nullable(),
  /** the unit (building-number), when the occasion has one */
  unit: z.string().nullable(),
})

/** A greeting template: the words for one occasion, with placeholders such as {姓名}. */
export const GreetingTemplate = z.object({ occasion: Occasion, text: z.string(), edited: z.boolean() })

/** Who policy news goes to: clients matching every filter given (an empty filter matches all). */
export const PolicySegment = z.strictObject({
  tiers: z.array(Tier).max(4).default([]),
  stages: z.array(Stage).max(6).default([]),
  regions: z.array(textField('line', 50, 1)).max(20).default([]),
  tags: z.array(textField('line', 30, 1)).max(20).default([]),
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
    summary: 'Mark a care item done (birthday, holiday, deal anniversary, handover +1 month); it is logged as a follow-up on its channel, so it counts as a contact.',
  },
  'care.milestones': {
    input: PageInput,
    output: Page(MilestoneRow).extend({ today: Day }),
    write: false,
    summary: 'Deal anniversaries and handover +1 month calls of today and the coming 7 days among the clients the caller sees in full, soonest first.',
  },
  'care.skip': {
    input: z.strictObject({ clientId: Id, occasion: Occasion, date: Day, note: textField('note', 500, 1) }),
    output: z.object({ skipped: z.literal(true) }),
    write: true,
    summary: 'Skip a care item with a note (no contact is logged); it shows as skipped on the list.',
  },
  'care.templates': {
    input: z.strictObject({}),
    output: z.object({ templates: z.array(GreetingTemplate), placeholders: z.array(z.enum(GREETING_PLACEHOLDERS)) }),
    write: false,
    summary: 'The greeting template of each occasion (the default until the manager edits it) and the placeholders a template may use.',
  },
  'care.setTemplate': {
    input: z.strictObject({ occasion: Occasion, text: textField('note', 300, 1).nullable() }),
    output: GreetingTemplate,
    write: true,
    summary: "Edit an occasion's greeting template (managers); null restores the default. Unknown placeholders are refused.",
  },
  'care.policyNews': {
    input: z.strictObject({ segment: PolicySegment, text: textField('note', 500, 2), dueDate: Day }),
    output: z.object({ newsId: Id, clients: z.number().int(), agents: z.number().int() }),
    write: true,
    summary: "Send policy news to a segment (managers): each owner agent gets a task per client of theirs to tell by the due day, and one notice listing how many.",
  },
  'care.segmentCount': {
    input: z.strictObject({ segment: PolicySegment }),
    output: z.object({ clients: z.number().int(), agents: z.number().int(), unowned: z.number().int() }),
    write: false,
    summary: 'How many live clients and owner agents a policy-news segment reaches, and how many matching clients have no owner (managers).',
  },
} as const satisfies ContractTable
