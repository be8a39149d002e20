/**
 * Marketing campaigns (issue #19 item 3, seed 001: a campaign is the channel of the visits it
 * brings, and its effect is measured): when one is open to new links, and what it cost per
 * client and per deal.
 */

/** The dates and state that decide whether a campaign takes new links. */
export interface CampaignWindow {
  /** YYYY-MM-DD, first day */
  startDate: string
  /** YYYY-MM-DD, last day */
  endDate: string
  /** set when the manager ended it early */
  endedAt: string | null
}

/** Whether clients, visits and follow-ups may link to a campaign on `today` (YYYY-MM-DD, the branch's day). */
export function campaignActive(c: CampaignWindow, today: string): boolean {
  return c.endedAt === null && c.startDate <= today && today <= c.endDate
}

/** What a campaign brought, counted from the stored rows. */
export interface CampaignCounts {
  clients: number
  visits: number
  followUps: number
  deals: number
}

/** A campaign's cost figures: yuan per client and per deal, to the fen; null where there is nothing to divide by. */
export function campaignCostFigures(costYuan: number, counts: Pick<CampaignCounts, 'clients' | 'deals'>): { costPerClient: number | null; costPerDeal: number | null } {
  const per = (n: number) => (n > 0 ? Math.round((costYuan * 100) / n) / 100 : null)
  return { costPerClient: per(counts.clients), costPerDeal: per(counts.deals) }
}

/** The lifecycle stages that count as a deal (成交, and 复购转介 after it). */
export const DEAL_STAGES = ['closed', 'repeat'] as const

/** Longest a campaign may run, in days (a year and a bit: a spring fair to the next one). */
export const MAX_CAMPAIGN_DAYS = 400
