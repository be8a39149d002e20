import { Button, Select, Space, Typography } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { KpiSubject, ReportFilter } from '@shared/contract/reports'
import { SourceChannel } from '@shared/domain/client-enums'
import type { Period } from '@shared/domain/kpi'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'

const ALL = ''
const subjectKey = (s: KpiSubject | undefined) => (!s || s.kind === 'branch' ? ALL : s.kind === 'team' ? `team:${s.team}` : `agent:${s.staffId}`)
function subjectOf(key: string): KpiSubject | undefined {
  if (key === ALL) return undefined
  if (key.startsWith('team:')) return { kind: 'team', team: key.slice(5) }
  return { kind: 'agent', staffId: Number(key.slice(6)) }
}

/**
 * The filter bar of the period reports: whose figures (the branch, a team or an agent: the ones the
 * caller sees on the KPI dashboard for the period) and, for the client reports, the source channel
 * and campaign; the host checks the subject again (a team or agent not the caller's is refused).
 */
export function ReportFilters({ period, filter, withSource, onChange }: { period: Period; filter: ReportFilter; withSource: boolean; onChange: (f: ReportFilter) => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const [people, setPeople] = useState<{ teams: string[]; agents: Array<{ staffId: number; name: string }> }>({ teams: [], agents: [] })
  const [campaigns, setCampaigns] = useState<Array<{ id: number; name: string }>>([])

  useEffect(() => {
    void api.try('reports.kpis', period).then((r) => {
      if (r.ok) setPeople({ teams: r.value.teams.map((x) => x.team), agents: r.value.agents.map((a) => ({ staffId: a.staffId, name: a.name })) })
    })
  }, [api, period])
  useEffect(() => {
    if (!withSource || !mayCall(me.role, 'campaigns.list')) return
    void api.try('campaigns.list', { activeOnly: false }).then((r) => {
      if (r.ok) setCampaigns(r.value.campaigns.map((c) => ({ id: c.id, name: c.name })))
    })
  }, [api, me.role, withSource])

  const subjects = useMemo(
    () => [
      { value: ALL, label: t('reports.filter.branch') },
      ...people.teams.map((team) => ({ value: `team:${team}`, label: t('reports.filter.team', { team }) })),
      ...people.agents.map((a) => ({ value: `agent:${a.staffId}`, label: a.name })),
    ],
    [people, t],
  )
  const set = (patch: Partial<ReportFilter>) => {
    const next: ReportFilter = { ...filter, ...patch }
    for (const k of Object.keys(next) as Array<keyof ReportFilter>) if (next[k] === undefined) delete next[k]
    onChange(next)
  }

  // the toolbar does not print: the filter in words above the printed report instead
  const printed = [
    filter.subject ? `${t('reports.filter.subject')}：${subjects.find((o) => o.value === subjectKey(filter.subject))?.label ?? ''}` : null,
    withSource && filter.channel ? `${t('reports.filter.channel')}：${t(`clients.enums.sourceChannel.${filter.channel}`)}` : null,
    withSource && filter.campaignId ? `${t('reports.filter.campaign')}：${campaigns.find((c) => c.id === filter.campaignId)?.name ?? filter.campaignId}` : null,
  ].filter((x): x is string => x !== null)

  return (
    <>
      {printed.length > 0 && <div className="reports-print-filter">{printed.join(' · ')}</div>}
      <Space className="reports-toolbar reports-filters" wrap>
        <Typography.Text id="reports-filter-subject">{t('reports.filter.subject')}</Typography.Text>
        <Select aria-labelledby="reports-filter-subject" className="reports-subject" showSearch optionFilterProp="label" value={subjectKey(filter.subject)} options={subjects} onChange={(v: string) => set({ subject: subjectOf(v) })} />
        {withSource && (
          <>
            <Select
              aria-label={t('reports.filter.channel')}
              className="reports-subject"
              value={filter.channel ?? ALL}
              options={[{ value: ALL, label: t('reports.filter.anyChannel') }, ...SourceChannel.options.map((c) => ({ value: c, label: t(`clients.enums.sourceChannel.${c}`) }))]}
              onChange={(v: string) => set({ channel: v === ALL ? undefined : SourceChannel.parse(v) })}
            />
            {campaigns.length > 0 && (
              <Select
                aria-label={t('reports.filter.campaign')}
                className="reports-subject"
                showSearch
                optionFilterProp="label"
                value={filter.campaignId ?? 0}
                options={[{ value: 0, label: t('reports.filter.anyCampaign') }, ...campaigns.map((c) => ({ value: c.id, label: c.name }))]}
                onChange={(v: number) => set({ campaignId: v === 0 ? undefined : v })}
              />
            )}
          </>
        )}
        {Object.keys(filter).length > 0 && <Button onClick={() => onChange({})}>{t('reports.filter.clear')}</Button>}
      </Space>
    </>
  )
}
