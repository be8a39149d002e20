import type { z } from 'zod'
import { campaignActive, campaignCostFigures, MAX_CAMPAIGN_DAYS } from '@shared/domain/campaigns'
import type { SourceChannel } from '@shared/domain/client-enums'
import { branchDay, DAY_MS } from '@shared/domain/rules'
import type { Campaign } from '@shared/contract/campaigns'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext, HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { campaignCounts, campaignHasClients, findCampaign, insertCampaign, listCampaigns, openCampaigns, updateCampaign, type CampaignRecord } from './campaigns.repository'

type CampaignOut = z.infer<typeof Campaign>

function toCampaign(r: CampaignRecord, today: string): CampaignOut {
  return {
    id: r.id,
    name: r.name,
    channel: r.channel as SourceChannel,
    startDate: r.start_date,
    endDate: r.end_date,
    costYuan: r.cost_yuan,
    endedAt: r.ended_at,
    active: campaignActive({ startDate: r.start_date, endDate: r.end_date, endedAt: r.ended_at }, today),
    version: r.version,
  }
}

/** Refuses an end before the start, a date that does not exist, or a campaign longer than MAX_CAMPAIGN_DAYS. */
function refuseBadDates(startDate: string, endDate: string): void {
  const start = Date.parse(`${startDate}T00:00:00Z`)
  const end = Date.parse(`${endDate}T00:00:00Z`)
  for (const [field, day, t] of [['startDate', startDate, start], ['endDate', endDate, end]] as const) {
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day) throw new ApiFailure('VALIDATION', `${day} is not a date`, field, 'not_a_date')
  }
  if (end < start) throw new ApiFailure('VALIDATION', 'the campaign ends before it starts', 'endDate', 'campaign_dates')
  if ((end - start) / DAY_MS > MAX_CAMPAIGN_DAYS) throw new ApiFailure('VALIDATION', 'a campaign runs at most 400 days', 'endDate', 'campaign_too_long', { max: MAX_CAMPAIGN_DAYS })
}

async function mustFind(ctx: HandlerContext, id: number): Promise<CampaignRecord> {
  const c = await findCampaign(ctx.db, id)
  if (!c) throw new ApiFailure('NOT_FOUND', `no campaign ${id}`, 'id')
  return c
}

function stale(): ApiFailure {
  return new ApiFailure('STALE_WRITE', 'this campaign changed meanwhile; reload', 'version', 'stale')
}

/** Marketing campaigns (issue #19 item 3): the manager keeps them; everyone who records a client picks an active one. */
export const campaignsHandlers: HandlersOf<'campaigns'> = {
  'campaigns.list': async ({ activeOnly }, ctx) => {
    requireSession(ctx)
    const today = branchDay(ctx.clock.now())
    const rows = activeOnly ? await openCampaigns(ctx.db, today) : await listCampaigns(ctx.db)
    const campaigns = rows.map((r) => toCampaign(r, today))
    return { campaigns: activeOnly ? campaigns.filter((c) => c.active) : campaigns }
  },

  'campaigns.save': async ({ id, version, ...values }, ctx) => {
    const s = requireSession(ctx)
    refuseBadDates(values.startDate, values.endDate)
    const now = ctx.clock.now()
    const at = now.toISOString()
    let campaignId: number
    if (id === undefined) {
      campaignId = await insertCampaign(ctx.db, values, s.staffId, at)
    } else {
      const c = await mustFind(ctx, id)
      if (version === undefined) throw new ApiFailure('VALIDATION', 'an edit needs the version you read', 'version', 'required')
      if (c.ended_at !== null) throw new ApiFailure('CONFLICT', 'this campaign has ended', 'id', 'campaign_ended')
      // its clients came from its channel: moving it would leave their source and campaign apart
      if (values.channel !== c.channel && (await campaignHasClients(ctx.db, id))) {
        throw new ApiFailure('CONFLICT', 'clients came from this campaign on its channel', 'channel', 'campaign_has_clients')
      }
      if (c.version !== version || !(await updateCampaign(ctx.db, id, version, values, at))) throw stale()
      campaignId = id
    }
    ctx.auditTarget(`campaign:${campaignId}`)
    return toCampaign(await mustFind(ctx, campaignId), branchDay(now))
  },

  'campaigns.end': async ({ id, version }, ctx) => {
    requireSession(ctx)
    const c = await mustFind(ctx, id)
    if (c.ended_at !== null) throw new ApiFailure('CONFLICT', 'this campaign has ended', 'id', 'campaign_ended')
    const now = ctx.clock.now()
    if (c.version !== version || !(await updateCampaign(ctx.db, id, version, { endedAt: now.toISOString() }, now.toISOString()))) throw stale()
    ctx.auditTarget(`campaign:${id}`)
    return toCampaign(await mustFind(ctx, id), branchDay(now))
  },

  'campaigns.figures': async (_input, ctx) => {
    requireSession(ctx)
    const today = branchDay(ctx.clock.now())
    const [campaigns, counts] = await Promise.all([listCampaigns(ctx.db), campaignCounts(ctx.db)])
    const byId = new Map(counts.map((c) => [c.id, c]))
    return {
      rows: campaigns.map((r) => {
        const n = byId.get(r.id)
        const figures = { clients: Number(n?.clients ?? 0), visits: Number(n?.visits ?? 0), followUps: Number(n?.follow_ups ?? 0), deals: Number(n?.deals ?? 0) }
        return { campaign: toCampaign(r, today), ...figures, ...campaignCostFigures(r.cost_yuan, figures) }
      }),
    }
  },
}
