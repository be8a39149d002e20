import { PrinterOutlined, SettingOutlined } from '@ant-design/icons'
import { Alert, App, Button, Input, Space, Steps, Table, Tabs, Tag, Typography } from 'antd'
import type { TFunction } from 'i18next'
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
import { bulkItems, changeText, decisionText } from './request-text'
import { ExportButton } from '../export/export-button'

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

/** The unit a request is about ("1号楼-401"), or how many units a 批量调价 prices. */
function unitOf(t: TFunction, r: Request): string {
  if (r.unitId === null) return t('board.approvals.units', { count: bulkItems(r)?.length ?? 0 })
  return r.labels.unit ?? r.before?.unit ?? `#${r.unitId}`
}

/** The decided step that ended a request (its decider's comment), if any. */
function closingStep(r: Request) {
  return r.steps.filter((s) => s.decision !== null).at(-1)
}

/** 变更审批: pending requests with their approval step, and the history of decided ones. */
export function ApprovalsView() {
  const { t } = useTranslation()
  const me = useMe()
  const [editingSteps, setEditingSteps] = useState(false)
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {mayCall(me.role, 'changes.setSteps') && (
        <Space>
          <Button size="small" icon={<SettingOutlined />} onClick={() => setEditingSteps(true)}>
            {t('board.approvals.stepsButton')}
          </Button>
        </Space>
      )}
      <Tabs
        size="small"
        destroyInactiveTabPane
        items={[
          { key: 'pending', label: t('board.approvals.pendingTab'), children: <PendingApprovals /> },
          { key: 'history', label: t('board.approvals.historyTab'), children: <ApprovalHistory /> },
        ]}
      />
      {editingSteps && <ApprovalStepsModal onClose={() => setEditingSteps(false)} />}
    </Space>
  )
}

/** Pending requests; whoever's step it is approves (after confirming what will change) or rejects with a comment. */
function PendingApprovals() {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message, modal } = App.useApp()
  const [rows, setRows] = useState<Request[] | null>(null)
  const [comments, setComments] = useState<Record<number, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<number | null>(null)
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
  const decide = async (req: Request, approve: boolean) => {
    setBusy(req.id)
    setError(null)
    const r = await api.try('changes.decide', { id: req.id, approve, comment: comments[req.id]?.trim() || undefined })
    setBusy(null)
    if (r.ok) {
      const done = r.value
      const what = { unit: unitOf(t, done), kind: t(`board.changeKind.${done.kind}`), what: changeText(t, done) }
      const next = done.currentStep === null ? undefined : done.steps[done.currentStep]
      void message.success(
        !approve
          ? t('board.approvals.rejectedWhat', what)
          : next
            ? t('board.approvals.stepApprovedWhat', { ...what, role: t(`roles.${next.role}`) })
            : t('board.approvals.approvedWhat', what),
      )
      setComments((c) => ({ ...c, [req.id]: '' }))
      void load()
    } else setError(boardErrorText(t, r.error))
  }
  /** 批准 asks first, naming the unit, the change before → after, and whether it takes effect now. */
  const confirmApprove = (r: Request) => {
    const last = r.currentStep === r.steps.length - 1
    const next = r.currentStep === null ? undefined : r.steps[r.currentStep + 1]
    void modal.confirm({
      title: t('board.approvals.confirmTitle', { unit: unitOf(t, r), kind: t(`board.changeKind.${r.kind}`) }),
      content: (
        <Space direction="vertical" data-testid="approve-confirm">
          <Typography.Text strong>{changeText(t, r)}</Typography.Text>
          <Typography.Text type="secondary">{last || !next ? t('board.approvals.confirmLast') : t('board.approvals.confirmNext', { role: t(`roles.${next.role}`) })}</Typography.Text>
        </Space>
      ),
      okText: t('board.approvals.approve'),
      cancelText: t('board.approvals.cancel'),
      onOk: () => decide(r, true),
    })
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
        <Button size="small" type="primary" loading={busy === r.id} onClick={() => confirmApprove(r)}>
          {t('board.approvals.approve')}
        </Button>
        <Button size="small" danger loading={busy === r.id} onClick={() => void decide(r, false)}>
          {t('board.approvals.reject')}
        </Button>
      </Space>
    )
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} />}
      <div>
        <ExportButton request={{ grid: 'approvals', query: { status: 'pending' } }} />
      </div>
      <Table
        size="small"
        rowKey="id"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: t('board.approvals.empty') }}
        expandable={{ expandedRowRender: (r: Request) => <RequestDetail r={r} /> }}
        columns={[
          { title: t('board.approvals.unit'), width: 110, render: (_: unknown, r: Request) => unitOf(t, r) },
          { title: t('board.approvals.kind'), dataIndex: 'kind', render: (k: Request['kind']) => <Tag>{t(`board.changeKind.${k}`)}</Tag>, width: 90 },
          { title: t('board.approvals.content'), render: (_: unknown, r: Request) => changeText(t, r) },
          { title: t('board.approvals.by'), dataIndex: 'requestedBy', width: 90 },
          { title: t('board.approvals.at'), dataIndex: 'createdAt', render: (s: string) => formatBranchTime(s), width: 150 },
          { title: t('board.approvals.step'), render: (_: unknown, r: Request) => <StepTag r={r} />, width: 170 },
          { title: t('board.approvals.comments'), width: 160, render: (_: unknown, r: Request) => r.comments.map((c) => t('common.withNote', { text: c.by, note: c.text })).join(t('common.clauseSeparator')) },
          { title: '', width: 320, render: (_: unknown, r: Request) => actions(r) },
        ]}
      />
    </Space>
  )
}

/** 审批历史: decided requests, newest first: what changed, who asked, who decided, when, how and why. */
function ApprovalHistory() {
  const { t } = useTranslation()
  const api = useApi()
  const [rows, setRows] = useState<Request[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    void api.try('changes.list', {}).then((r) => (r.ok ? setRows(r.value.requests.filter((q) => q.status !== 'pending')) : setError(boardErrorText(t, r.error))))
  }, [api, t])
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} />}
      <div>
        <ExportButton request={{ grid: 'approvals', query: { status: 'decided' } }} />
      </div>
      <Table
        size="small"
        rowKey="id"
        data-testid="approval-history"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small' }}
        locale={{ emptyText: t('board.approvals.historyEmpty') }}
        expandable={{ expandedRowRender: (r: Request) => <RequestDetail r={r} /> }}
        columns={[
          { title: t('board.approvals.unit'), width: 110, render: (_: unknown, r: Request) => unitOf(t, r) },
          { title: t('board.approvals.kind'), dataIndex: 'kind', render: (k: Request['kind']) => <Tag>{t(`board.changeKind.${k}`)}</Tag>, width: 90 },
          { title: t('board.approvals.content'), render: (_: unknown, r: Request) => changeText(t, r) },
          { title: t('board.approvals.by'), dataIndex: 'requestedBy', width: 90 },
          { title: t('board.approvals.result'), dataIndex: 'status', width: 90, render: (s: Request['status']) => <Tag color={STATUS_COLOR[s]}>{t(`board.changeStatus.${s}`)}</Tag> },
          { title: t('board.approvals.decidedBy'), dataIndex: 'decidedBy', width: 90, render: (s: string | null) => s ?? '—' },
          { title: t('board.approvals.decidedAt'), dataIndex: 'decidedAt', width: 150, render: (s: string | null) => (s ? formatBranchTime(s) : '—') },
          { title: t('board.approvals.decisionComment'), width: 200, render: (_: unknown, r: Request) => closingStep(r)?.comment ?? '—' },
        ]}
      />
    </Space>
  )
}

const STATUS_COLOR = { pending: 'processing', approved: 'success', rejected: 'error', withdrawn: 'default' } as const

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
