import { PlusOutlined, ReloadOutlined, SettingOutlined } from '@ant-design/icons'
import { Alert, App, Button, Checkbox, Segmented, Space, Table, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { ApiErrorShape } from '@shared/contract/common'
import type { Ticket } from '@shared/contract/tickets'
import { formatBranchTime } from '@shared/domain/branch-time'
import { mayCall } from '@shared/domain/permissions'
import { TICKET_STATES, type TicketState } from '@shared/domain/tickets'
import { mayCloseTicket, mayDispatchTicket, mayHandleTicket } from '@shared/domain/tickets-access'
import { useApi, useMe } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { errorText } from '../../i18n/error-text'
import { CategoriesDrawer } from './categories-drawer'
import { TicketIntakeModal } from './ticket-intake-modal'
import { TicketStepModal, type Step } from './ticket-step-modal'
import { categoryName, useTicketCategories } from './use-ticket-categories'
import './tickets.css'

type Row = z.infer<typeof Ticket>
const PAGE = 50
const STATE_COLOR: Record<TicketState, string> = { new: 'orange', dispatched: 'blue', handling: 'geekblue', fed_back: 'cyan', closed: 'default' }

/** 投诉服务 (#/tickets): the tickets the caller sees, taken in, dispatched, handled, fed back and closed here. */
export function TicketsPage() {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  const [state, setState] = useState<TicketState | 'all'>('all')
  const [mine, setMine] = useState(false)
  const [overdue, setOverdue] = useState(false)
  const [page, setPage] = useState(1)
  const [data, setData] = useState<{ rows: Row[]; total: number } | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [intake, setIntake] = useState(false)
  const [step, setStep] = useState<{ ticket: Row; step: Step } | null>(null)
  const [editing, setEditing] = useState(false)
  const [reloadCategories, setReloadCategories] = useState(0)
  const categories = useTicketCategories(true, reloadCategories)
  const viewer = { staffId: me.id, role: me.role, team: me.team }

  const load = useCallback(async () => {
    const r = await api.try('tickets.list', { offset: (page - 1) * PAGE, limit: PAGE, mine, overdue, ...(state === 'all' ? {} : { state }) })
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    setData(r.value)
  }, [api, page, mine, overdue, state])

  useEffect(() => {
    void load()
  }, [load])

  async function start(ticket: Row) {
    const r = await api.try('tickets.start', { id: ticket.id, version: ticket.version })
    if (r.ok) void message.success(t('tickets.start.saved'))
    else void message.error(r.error.code === 'STALE_WRITE' ? t('tickets.stale') : errorText(t, r.error))
    void load()
  }

  const parties = (r: Row) => ({ ownerId: r.client.owner?.id ?? null, ownerTeam: null, intakeBy: r.intakeBy.id, assigneeId: r.assignee?.id ?? null })
  const category = (id: number) => {
    const c = categories.find((x) => x.id === id)
    return c ? categoryName(c, i18n.language) : ''
  }

  const columns: ColumnsType<Row> = [
    { key: 'id', title: t('tickets.id'), width: 70, render: (_, r) => r.id },
    {
      key: 'client',
      title: t('tickets.client'),
      width: 200,
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => navigate(`/clients/${r.client.id}`)}>
          {r.client.name} · {r.client.code}
        </Button>
      ),
    },
    { key: 'category', title: t('tickets.category'), width: 160, render: (_, r) => category(r.categoryId) },
    { key: 'channel', title: t('tickets.channel'), width: 80, render: (_, r) => t(`tickets.channels.${r.channel}`) },
    {
      key: 'content',
      title: t('tickets.content'),
      render: (_, r) => (
        <div className="ticket-content">
          <div>{r.content}</div>
          {r.feedback && <Typography.Text type="secondary">{t('tickets.detail.feedback', { text: r.feedback })}</Typography.Text>}
          {r.returnVisit && <Typography.Text type="secondary">{t('tickets.detail.returnVisit', { text: r.returnVisit, score: r.satisfaction ?? 0 })}</Typography.Text>}
          <Typography.Text type="secondary" className="ticket-intake">
            {t('tickets.detail.intakeBy', { name: r.intakeBy.name, at: formatBranchTime(r.createdAt) })}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'state',
      title: t('tickets.state'),
      width: 100,
      render: (_, r) => (
        <Tag color={STATE_COLOR[r.state]} data-testid={`ticket-state-${r.id}`}>
          {t(`tickets.states.${r.state}`)}
        </Tag>
      ),
    },
    { key: 'assignee', title: t('tickets.assignee'), width: 100, render: (_, r) => r.assignee?.name ?? '' },
    {
      key: 'deadline',
      title: t('tickets.deadline'),
      width: 150,
      render: (_, r) =>
        r.deadlineAt && (
          <span>
            {formatBranchTime(r.deadlineAt)} {r.overdue && <Tag color="red">{t('tickets.overdue')}</Tag>}
          </span>
        ),
    },
    {
      key: 'actions',
      title: t('tickets.actions'),
      width: 140,
      render: (_, r) => {
        const p = parties(r)
        return (
          <Space direction="vertical" size={4}>
            {(r.state === 'new' || r.state === 'dispatched' || r.state === 'handling') && mayDispatchTicket(viewer, p) && (
              <Button size="small" type={r.state === 'new' ? 'primary' : 'default'} onClick={() => setStep({ ticket: r, step: 'dispatch' })}>
                {t('tickets.dispatch.action')}
              </Button>
            )}
            {r.state === 'dispatched' && mayHandleTicket(viewer, p) && (
              <Button size="small" type="primary" onClick={() => void start(r)}>
                {t('tickets.start.action')}
              </Button>
            )}
            {r.state === 'handling' && mayHandleTicket(viewer, p) && (
              <Button size="small" type="primary" onClick={() => setStep({ ticket: r, step: 'feedBack' })}>
                {t('tickets.feedBack.action')}
              </Button>
            )}
            {r.state === 'fed_back' && mayCloseTicket(viewer, p) && (
              <Button size="small" type="primary" onClick={() => setStep({ ticket: r, step: 'close' })}>
                {t('tickets.close.action')}
              </Button>
            )}
          </Space>
        )
      },
    },
  ]

  return (
    <div className="tickets-page" data-testid="tickets-page">
      <div className="tickets-toolbar">
        <Space wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('tickets.title')}
          </Typography.Title>
          <Segmented<TicketState | 'all'>
            value={state}
            onChange={(s) => {
              setState(s)
              setPage(1)
            }}
            options={[{ value: 'all', label: t('tickets.all') }, ...TICKET_STATES.map((s) => ({ value: s, label: t(`tickets.states.${s}`) }))]}
          />
          <Checkbox checked={mine} onChange={(e) => (setMine(e.target.checked), setPage(1))}>
            {t('tickets.mine')}
          </Checkbox>
          <Checkbox checked={overdue} onChange={(e) => (setOverdue(e.target.checked), setPage(1))}>
            {t('tickets.overdueOnly')}
          </Checkbox>
        </Space>
        <Space>
          {mayCall(me.role, 'tickets.saveCategory') && (
            <Button icon={<SettingOutlined />} onClick={() => setEditing(true)}>
              {t('tickets.categoriesEdit')}
            </Button>
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            {t('tickets.refresh')}
          </Button>
          {mayCall(me.role, 'tickets.create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setIntake(true)}>
              {t('tickets.new')}
            </Button>
          )}
        </Space>
      </div>
      <Typography.Paragraph type="secondary">{t('tickets.hint')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon message={t('tickets.loadFailed', { text: errorText(t, problem) })} style={{ marginBottom: 12 }} />}
      <Table<Row>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.rows ?? []}
        loading={data === null && problem === null}
        locale={{ emptyText: t('tickets.empty') }}
        rowClassName={(r) => (r.overdue ? 'ticket-overdue' : '')}
        pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
      />
      <TicketIntakeModal open={intake} channel="phone" onClose={() => setIntake(false)} onCreated={() => void load()} />
      {step && <TicketStepModal ticket={step.ticket} step={step.step} onClose={() => setStep(null)} onDone={() => void load()} />}
      {editing && (
        <CategoriesDrawer
          categories={categories}
          onClose={() => setEditing(false)}
          onSaved={() => setReloadCategories((n) => n + 1)}
        />
      )}
    </div>
  )
}
