import { sql, type Kysely } from 'kysely'
import { DEAL_STAGES } from '@shared/domain/campaigns'
import type { DB } from '../../db/schema'

/** Every campaign, newest first. */
export function listCampaigns(db: Kysely<DB>) {
  return db.selectFrom('campaigns').selectAll().orderBy('id', 'desc').execute()
}
export type CampaignRecord = Awaited<ReturnType<typeof listCampaigns>>[number]

/** Campaigns not ended early whose last day is today or later (the index campaigns_open), newest first. */
export function openCampaigns(db: Kysely<DB>, today: string) {
  return db.selectFrom('campaigns').selectAll().where('ended_at', 'is', null).where('end_date', '>=', today).orderBy('id', 'desc').execute()
}

export function findCampaign(db: Kysely<DB>, id: number): Promise<CampaignRecord | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst()
}

export interface CampaignValues {
  name: string
  channel: string
  startDate: string
  endDate: string
  costYuan: number
}

export async function insertCampaign(db: Kysely<DB>, v: CampaignValues, by: number, at: string): Promise<number> {
  const r = await db
    .insertInto('campaigns')
    .values({ name: v.name, channel: v.channel, start_date: v.startDate, end_date: v.endDate, cost_yuan: v.costYuan, created_by: by, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

/** Writes a change to a campaign read at `version`; false when it moved meanwhile. */
export async function updateCampaign(db: Kysely<DB>, id: number, version: number, change: Partial<CampaignValues> & { endedAt?: string }, at: string): Promise<boolean> {
  const r = await db
    .updateTable('campaigns')
    .set({
      name: change.name,
      channel: change.channel,
      start_date: change.startDate,
      end_date: change.endDate,
      cost_yuan: change.costYuan,
      ended_at: change.endedAt,
      updated_at: at,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return r.numUpdatedRows === 1n
}

/** Records the campaign that brought a new client. */
export async function linkClient(db: Kysely<DB>, clientId: number, campaignId: number): Promise<void> {
  await db.insertInto('client_campaigns').values({ client_id: clientId, campaign_id: campaignId }).execute()
}

/** Whether any client names the campaign as their source. */
export async function campaignHasClients(db: Kysely<DB>, campaignId: number): Promise<boolean> {
  return (await db.selectFrom('client_campaigns').select('client_id').where('campaign_id', '=', campaignId).limit(1).executeTakeFirst()) !== undefined
}

/** The campaign that brought a client, or null. */
export async function campaignOfClient(db: Kysely<DB>, clientId: number): Promise<number | null> {
  const r = await db.selectFrom('client_campaigns').select('campaign_id').where('client_id', '=', clientId).executeTakeFirst()
  return r?.campaign_id ?? null
}

/** What each campaign brought: live clients (merged ones are history), deals among them, visits and follow-ups; each count walks an index on the campaign. */
export function campaignCountsQuery(db: Kysely<DB>) {
  return db
    .selectFrom('campaigns as g')
    .select((eb) => [
      'g.id',
      eb
        .selectFrom('client_campaigns as cc')
        .innerJoin('clients as k', 'k.id', 'cc.client_id')
        .whereRef('cc.campaign_id', '=', 'g.id')
        .where('k.merged_into', 'is', null)
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('clients'),
      eb
        .selectFrom('client_campaigns as cc')
        .innerJoin('clients as k', 'k.id', 'cc.client_id')
        .whereRef('cc.campaign_id', '=', 'g.id')
        .where('k.merged_into', 'is', null)
        .where('k.stage', 'in', [...DEAL_STAGES])
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('deals'),
      eb.selectFrom('visits as v').whereRef('v.campaign_id', '=', 'g.id').select((e) => e.fn.countAll<number>().as('n')).as('visits'),
      eb.selectFrom('follow_ups as f').whereRef('f.campaign_id', '=', 'g.id').select((e) => e.fn.countAll<number>().as('n')).as('follow_ups'),
    ])
}

/** The counts of campaignCountsQuery, one row per campaign. */
export function campaignCounts(db: Kysely<DB>) {
  return campaignCountsQuery(db).execute()
}
