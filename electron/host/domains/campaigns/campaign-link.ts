import { campaignActive } from '@shared/domain/campaigns'
import { branchDay } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext } from '../../api/handler'
import { findCampaign, type CampaignRecord } from './campaigns.repository'

/**
 * The campaign a new client, a visit or a follow-up names, when it may link to it: it exists, is
 * active today and (for a client's source) runs on the client's source channel. Other domains call
 * this before they write the link.
 */
export async function linkableCampaign(ctx: HandlerContext, campaignId: number, sourceChannel?: string): Promise<CampaignRecord> {
  const c = await findCampaign(ctx.db, campaignId)
  if (!c) throw new ApiFailure('NOT_FOUND', `no campaign ${campaignId}`, 'campaignId')
  const window = { startDate: c.start_date, endDate: c.end_date, endedAt: c.ended_at }
  if (!campaignActive(window, branchDay(ctx.clock.now()))) {
    throw new ApiFailure('CONFLICT', 'this campaign is not running today', 'campaignId', 'campaign_inactive')
  }
  if (sourceChannel !== undefined && sourceChannel !== c.channel) {
    throw new ApiFailure('VALIDATION', 'the campaign runs on another channel than the client came from', 'campaignId', 'campaign_channel', { channel: c.channel })
  }
  return c
}
