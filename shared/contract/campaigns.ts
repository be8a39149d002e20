import { z } from 'zod'
import { Id, IsoTime, type ContractTable } from './common'
import { SourceChannel } from '../domain/client-enums'
import { textField } from '../domain/text-kinds'

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const Version = z.number().int().min(0)

/** A marketing campaign (营销活动): the channel it runs on, its dates and what it cost. */
export const Campaign = z.object({
  id: Id,
  name: z.string(),
  channel: SourceChannel,
  startDate: Day,
  endDate: Day,
  /** whole yuan */
  costYuan: z.number().int().min(0),
  /** when the manager ended it before its last day */
  endedAt: IsoTime.nullable(),
  /** takes new links today (open, between its dates) */
  active: z.boolean(),
  version: Version,
})

/** What a campaign brought; cost figures null when there is nothing to divide by. */
export const CampaignFigures = z.object({
  campaign: Campaign,
  clients: z.number().int(),
  visits: z.number().int(),
  followUps: z.number().int(),
  deals: z.number().int(),
  costPerClient: z.number().nullable(),
  costPerDeal: z.number().nullable(),
})

export const campaignsContract = {
  'campaigns.list': {
    input: z.strictObject({ activeOnly: z.boolean().default(false) }),
    output: z.object({ campaigns: z.array(Campaign) }),
    write: false,
    summary: 'The campaigns, newest first (activeOnly: those a new client, visit or follow-up may link to today).',
  },
  'campaigns.save': {
    input: z.strictObject({
      /** absent: a new campaign */
      id: Id.optional(),
      version: Version.optional(),
      name: textField('line', 60, 1),
      channel: SourceChannel,
      startDate: Day,
      endDate: Day,
      costYuan: z.number().int().min(0).max(100_000_000),
    }),
    output: Campaign,
    write: true,
    summary: 'Create or edit a campaign (pass the version you read to edit); the end date is on or after the start, within 400 days.',
  },
  'campaigns.end': {
    input: z.strictObject({ id: Id, version: Version }),
    output: Campaign,
    write: true,
    summary: 'End a campaign now: nothing new links to it; what it brought stays counted.',
  },
  'campaigns.figures': {
    input: z.strictObject({}),
    output: z.object({ rows: z.array(CampaignFigures) }),
    write: false,
    summary: 'Per campaign: clients brought, visits, follow-ups, deals (clients at 成交 or after) and cost per client and per deal.',
  },
} as const satisfies ContractTable
