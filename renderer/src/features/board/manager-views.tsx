import { PrinterOutlined, SettingOutlined } from '@ant-design/icons'
import { Alert, App, Button, Input, Space, Steps, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '@shared/contract'
import type { BulkPriceItemStored } from '@shared/contract/changes'
import { mayCall } from '@shared/domain/permissions'
import { formatBranchDate, formatBranchTime } from '@shared/domain/branch-time'
import { useApi, useMe } from '../../api/session-context'
import { ApprovalStepsModal } from './approval-steps-panel'
import { boardErrorText, signedWan, wan, yuan } from './format'
import { setPendingApprovals } from './pending-approvals'
import { bulkItems, decisionText, payloadText } from './request-text'

type Request = OutputOf<'changes.list'>['requests'][number]

/** "第1步/共2步 · 待店长审批" for a pending request, else its status. */
function StepTag({ r }: { r: Request }) {
  const { t } = useTranslation()
  const step = r.currentStep === null ? undefined : r.steps[r.currentStep]
  if (r.currentStep === null || !step) return <Tag>{t(`board.changeStatus.${r.status}`)}</Tag>
  return <Tag color="processing">{t('board.approvals.stepOf', { step: r.currentStep + 1, of: r.steps.length, role: t(`roles.${step.role}`) })}</Tag>
}

/** The approval trail of a request (who decided which step, when, why) and a 批量调价's prices. */
function RequestDetail({ r }: { r: Request }) {
  const { t } = useTranslation()
  const items = bulkItems(r)
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text strong>
        {t('board.approvals.trail')}
        {r.round > 1 && <Typography.Text type="secondary"> · {t('board.approvals.round', { round: r.round })}</Typography.Text>}
      </Typography.Text>
      <Steps
        size="small"
        current={r.currentStep ?? r.steps.length}
        items={r.steps.map((s, i) => ({
          title: t('board.approvals.trailStep', { step: i + 1, role: t(`roles.${s.role}`) }),
          status: s.decision === 'approved' ? 'finish' : s.decision === 'rejected' ? 'error' : i === r.currentStep ? 'process' : 'wait',
          description: decisionText(t, s),
        }))}
      />
      {items && (
        <Table
          size="small"
          rowKey="unitId"
          dataSource={items}
          pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small' }}
          title={() => t('board.approvals.items')}
          columns={[
            { title: t('board.approvals.unitLabel'), dataIndex: 'unit' },
            { title: t('board.approvals.was'), dataIndex: 'was', align: 'right', render: (v: number) => wan(v) },
            { title: t('board.approvals.now'), dataIndex: 'listPrice', align: 'right', render: (v: number) => wan(v) },
            { title: t('board.approvals.diff'), align: 'right', render: (_: unknown, it: BulkPriceItemStored) => signedWan(it.listPrice - it.was) },
          ]}
        />
      )}
    </Space>
  )
}

/** 变更审批: pending requests with their approval step; whoever's step it is approves or rejects with a comment. */
export function ApprovalsView() {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  const [rows, setRows] = useState<Request[] | null>(null)
  const [comments, setComments] = useState<Record<number, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<number | null>(null)
  const [editingSteps, setEditingSteps] = useState(false)
  const load = useCallback(async () => {
    const r = await api.try('changes.list', { status: 'pending' })
    if (r.ok) {
      setRows(r.value.requests)
      setPendingApprovals(r.value.requests, me)
    } else setError(boardErrorText(t, r.error))
  }, [api, t, me])
  useEffect(() => {
    void load()
  }, [load])
  const decide = async (id: number, approve: boolean) => {
    setBusy(id)
    setError(null)
    const r = await api.try('changes.decide', { id, approve, comment: comments[id]?.trim() || undefined })
    setBusy(null)
    if (r.ok) {
      void message.success(!approve ? t('board.approvals.rejected') : r.value.status === 'approved' ? t('board.approvals.approved') : t('board.approvals.stepApproved'))
      setComments((c) => ({ ...c, [id]: '' }))
      void load()
    } else setError(boardErrorText(t, r.error))
  }
  const actions = (r: Request) => {
    const step = r.currentStep === null ? undefined : r.steps[r.currentStep]
    if (!step) return null
    if (r.requestedById === me.id) return <Typography.Text type="secondary">{t('board.approvals.ownRequest')}</Typography.Text>
    if (step.role !== me.role) return <Typography.Text type="secondary">{t('board.approvals.notYours', { role: t(`roles.${step.role}`) })}</Typography.Text>
    if (r.steps.some((s) => s.byId === me.id)) return <Typography.Text type="secondary">{t('board.approvals.decidedByYou')}</Typography.Text>
    return (
      <Space>
        <Input size="small" placeholder={t('board.approvals.comment')} value={comments[r.id] ?? ''} onChange={(e) => setComments({ ...comments, [r.id]: e.target.value })} style={{ width: 170 }} />
        <Button size="small" type="primary" loading={busy === r.id} onClick={() => void decide(r.id, true)}>
          {t('board.approvals.approve')}
        </Button>
        <Button size="small" danger loading={busy === r.id} onClick={() => void decide(r.id, false)}>
          {t('board.approvals.reject')}
        </Button>
      </Space>
    )
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {mayCall(me.role, 'changes.setSteps') && (
        <Space>
          <Button size="small" icon={<SettingOutlined />} onClick={() => setEditingSteps(true)}>
            {t('board.approvals.stepsButton')}
          </Button>
        </Space>
      )}
      {error && <Alert type="error" showIcon message={error} />}
      <Table
        size="small"
        rowKey="id"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: t('board.approvals.empty') }}
        expandable={{ expandedRowRender: (r: Request) => <RequestDetail r={r} /> }}
        columns={[
          {
            title: t('board.approvals.unit'),
            width: 110,
            render: (_: unknown, r: Request) => (r.unitId ? (r.labels.unit ?? `#${r.unitId}`) : t('board.approvals.units', { count: bulkItems(r)?.length ?? 0 })),
          },
          { title: t('board.approvals.kind'), dataIndex: 'kind', render: (k: Request['kind']) => <Tag>{t(`board.changeKind.${k}`)}</Tag>, width: 90 },
          { title: t('board.approvals.content'), render: (_: unknown, r: Request) => payloadText(t, r) },
          { title: t('board.approvals.by'), dataIndex: 'requestedBy', width: 90 },
          { title: t('board.approvals.at'), dataIndex: 'createdAt', render: (s: string) => formatBranchTime(s), width: 170 },
          { title: t('board.approvals.step'), render: (_: unknown, r: Request) => <StepTag r={r} />, width: 190 },
          { title: t('board.approvals.comments'), width: 180, render: (_: unknown, r: Request) => r.comments.map((c) => t('common.withNote', { text: c.by, note: c.text })).join(t('common.clauseSeparator')) },
          { title: '', width: 320, render: (_: unknown, r: Request) => actions(r) },
        ]}
      />
      {editingSteps && <ApprovalStepsModal onClose={() => setEditingSteps(false)} />}
    </Space>
  )
}

type Notice = OutputOf<'payments.overdue'>['notices'][number]

/** 催款通知: overdue payments, each with an A4 notice to print. */
export function OverdueView({ projectId }: { projectId: number | null }) {
  const { t } = useTranslation()
  const api = useApi()
  const [rows, setRows] = useState<Notice[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [printing, setPrinting] = useState<Notice | null>(null)
  const [projectName, setProjectName] = useState('')
  useEffect(() => {
    void api.try('payments.overdue', projectId ? { projectId } : {}).then((r) => (r.ok ? setRows(r.value.notices) : setError(boardErrorText(t, r.error))))
    void api.try('projects.list', {}).then((r) => r.ok && setProjectName(r.value.projects.find((p) => p.id === projectId)?.name ?? ''))
  }, [api, t, projectId])
  useEffect(() => {
    if (!printing) return
    document.body.classList.add('bc-printing')
    const done = () => {
      document.body.classList.remove('bc-printing')
      setPrinting(null)
    }
    window.addEventListener('afterprint', done, { once: true })
    const timer = setTimeout(() => window.print(), 50)
    return () => {
      clearTimeout(timer)
      window.removeEventListener('afterprint', done)
      document.body.classList.remove('bc-printing')
    }
  }, [printing])
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} />}
      <Table
        size="small"
        rowKey={(r) => `${r.unitId}-${r.dueDate}-${r.label}`}
        loading={rows === null && !error}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: t('board.overdue.empty') }}
        columns={[
          { title: t('board.overdue.unit'), dataIndex: 'unit' },
          { title: t('board.overdue.client'), dataIndex: 'clientName', render: (s: string | null) => s ?? '—' },
          { title: t('board.overdue.dueDate'), dataIndex: 'dueDate' },
          { title: t('board.overdue.label'), dataIndex: 'label' },
          { title: t('board.overdue.owed'), dataIndex: 'owed', align: 'right', render: (a: number) => yuan(a) },
          {
            title: '',
            render: (_: unknown, r: Notice) => (
              <Button size="small" icon={<PrinterOutlined />} onClick={() => setPrinting(r)}>
                {t('board.overdue.print')}
              </Button>
            ),
          },
        ]}
      />
      {printing && createPortal(<DunningNotice notice={printing} project={projectName} />, document.body)}
    </Space>
  )
}

/** The A4 催款通知书 (shown only in print). */
function DunningNotice({ notice: n, project }: { notice: Notice; project: string }) {
  const { t } = useTranslation()
  return (
    <div className="bc-notice">
      <h1>{t('board.overdue.noticeTitle')}</h1>
      <p>{t('board.overdue.noticeBody', { client: n.clientName ?? t('board.overdue.customer'), project, unit: n.unit, label: n.label, dueDate: n.dueDate, owed: yuan(n.owed) })}</p>
      <div className="bc-notice-sign">
        <div>{t('board.overdue.branch')}</div>
        <div>{t('board.overdue.date', { date: formatBranchDate(new Date()) })}</div>
      </div>
    </div>
  )
}
