import { useEffect, useState } from 'react'
import type { z } from 'zod'
import type { Campaign } from '@shared/contract/campaigns'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'

export type CampaignItem = z.infer<typeof Campaign>

/** The campaigns running today, read once when a form opens (none for a role that may not list them). */
export function useActiveCampaigns(): CampaignItem[] {
  const api = useApi()
  const me = useMe()
  const allowed = mayCall(me.role, 'campaigns.list')
  const [campaigns, setCampaigns] = useState<CampaignItem[]>([])
  useEffect(() => {
    if (!allowed) return
    let live = true
    void api.try('campaigns.list', { activeOnly: true }).then((r) => live && r.ok && setCampaigns(r.value.campaigns))
    return () => {
      live = false
    }
  }, [api, allowed])
  return campaigns
}
