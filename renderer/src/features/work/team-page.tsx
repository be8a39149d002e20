import { ReloadOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Space, Statistic, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { ApiErrorShape } from '@shared/contract/common'
import type { TeamAgentDay, TeamDay } from '@shared/contract/tasks'
import { useReconnected } from '../../api/connection'
import { useApi } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { workErrorText } from './work-errors'
import './work.css'

type Agent = z.infer<typeof TeamAgentDay>
type Team = z.infer<typeof TeamDay>

const REFRESH_MS = 60_000

/** A count that turns red when there is any. */
function Alarm({ n }: { n: number }) {
  return n > 0 ? <Typography.Text type="danger" strong>{n}</Typography.Text> : <Typography.Text type="secondary">0</Typography.Text>
}

/** The manager's start page (团队): each agent's overdue and escalated tasks, today's viewings, visits and pool claims, and the approvals waiting. */
export function TeamPage() {
  const { t } = useTranslation()
  const api = useApi()
  const [team, setTeam] = useState<Team | null>(null)
  const [error, setError] = useState<ApiErrorShape | null>(null)

  const load = useCallback(async () => {
    const r = await api.try('tasks.team', {})
    if (r.ok) {
      setTeam(r.value)
      setError(null)
    } else setError(r.error)
  }, [api])

  useEffect(() => {
    void load()
    const timer = setInterval(() => void load(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [load])
  useReconnected(() => void load())

  const sum = (k: keyof Pick<Agent, 'overdue' | 'escalated' | 'viewingsToday' | 'visitsToday' | 'claimsToday'>) => team?.agents.reduce((n, a) => n + a[k], 0) ?? 0

  return (
    <div className="work-team" data-testid="team-page">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {team ? t('work.team.heading', { day: team.day }) : t('work.team.title')}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('work.common.refresh')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon message={t('work.common.loadFailed', { text: workErrorText(t, error) })} />}
      <Space wrap size={12}>
        <Card size="small" data-testid="team-overdue">
          <Statistic title={t('work.team.overdue')} value={sum('overdue')} valueStyle={sum('overdue') ? { color: '#cf1322' } : undefined} />
        </Card>
        <Card size="small" data-testid="team-escalated">
          <Statistic title={t('work.team.escalated')} value={sum('escalated')} valueStyle={sum('escalated') ? { color: '#cf1322' } : undefined} />
        </Card>
        <Card size="small" data-testid="team-viewings">
          <Statistic title={t('work.team.viewings')} value={sum('viewingsToday')} />
        </Card>
        <Card size="small" data-testid="team-visits">
          <Statistic title={t('work.team.visits')} value={sum('visitsToday')} />
        </Card>
        <Card size="small" data-testid="team-claims">
          <Statistic title={t('work.team.claims')} value={sum('claimsToday')} />
        </Card>
        <Card
          size="small"
          data-testid="team-approvals"
          hoverable
          role="link"
          tabIndex={0}
          onClick={() => navigate('/board/approvals')}
          onKeyDown={(e) => e.key === 'Enter' && navigate('/board/approvals')}
        >
          <Statistic title={t('work.team.approvals')} value={team?.pendingApprovals ?? 0} />
          <Typography.Link>{t('work.team.openApprovals')}</Typography.Link>
        </Card>
      </Space>
      <Table<Agent>
        size="small"
        rowKey="staffId"
        loading={team === null && !error}
        dataSource={team?.agents ?? []}
        pagination={false}
        data-testid="team-agents"
        locale={{ emptyText: t('work.team.noAgents') }}
        columns={[
          {
            title: t('work.team.agent'),
            dataIndex: 'name',
            render: (name: string, a) => (
              <Space size={4}>
                {name}
                {a.role === 'senior_agent' && <Tag>{t('roles.senior_agent')}</Tag>}
              </Space>
            ),
          },
          { title: t('work.team.team'), dataIndex: 'team', render: (v: string | null) => v ?? '—' },
          { title: t('work.team.overdue'), dataIndex: 'overdue', align: 'right', render: (n: number) => <Alarm n={n} />, sorter: (a, b) => a.overdue - b.overdue },
          { title: t('work.team.escalated'), dataIndex: 'escalated', align: 'right', render: (n: number) => <Alarm n={n} />, sorter: (a, b) => a.escalated - b.escalated },
          { title: t('work.team.dueToday'), dataIndex: 'dueToday', align: 'right' },
          { title: t('work.team.viewings'), dataIndex: 'viewingsToday', align: 'right' },
          { title: t('work.team.visits'), dataIndex: 'visitsToday', align: 'right' },
          { title: t('work.team.claims'), dataIndex: 'claimsToday', align: 'right' },
        ]}
      />
    </div>
  )
}
