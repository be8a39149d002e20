import { PrinterOutlined } from '@ant-design/icons'
import { Alert, App, Button, Input, Space, Table, Tag } from 'antd'
import type { TFunction } from 'i18next'
import { useCallback, useEffect, useState } from 'react'
import { createPortal } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { OutputOf } from '../../../../shared/contract'
import { useApi } from '../../api/session-context'
import { boardErrorText, localTime, wan, yuan } from './format'

type Request = OutputOf<'changes.list'>['requests'][number]

/** A change request's payload in words ("换到房源 #12", "折后价 268 万元"). */
export function payloadText(t: TFunction, r: Pick<Request, 'kind' | 'payload'>): string {
  const p = r.payload
  const money = (k: string) => (typeof p[k] === 'number' ? wan(p[k]) : String(p[k] ?? ''))
  return t(`board.payload.${r.kind}`, { ...p, listPrice: money('listPrice'), price: money('price') })
}

/** 变更审批: pending requests, approve or reject with a comment. */
export function ApprovalsView() {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [rows, setRows] = useState<Request[] | null>(null)
  const [comments, setComments] = useState<Record<number, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<number | null>(null)
  const load = useCallback(async () => {
    const r = await api.try('changes.list', { status: 'pending' })
    if (r.ok) setRows(r.value.requests)
    else setError(boardErrorText(t, r.error))
  }, [api, t])
  useEffect(() => {
    void load()
  }, [load])
  const decide = async (id: number, approve: boolean) => {
    setBusy(id)
    setError(null)
    const r = await api.try('changes.decide', { id, approve, comment: comments[id]?.trim() || undefined })
    setBusy(null)
    if (r.ok) {
      void message.success(approve ? t('board.approvals.approved') : t('board.approvals.rejected'))
      void load()
    } else setError(boardErrorText(t, r.error))
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} />}
      <Table
        size="small"
        rowKey="id"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: t('board.approvals.empty') }}
        columns={[
          { title: t('board.approvals.unit'), dataIndex: 'unitId', render: (id: number | null) => (id ? `#${id}` : '—'), width: 80 },
          { title: t('board.approvals.kind'), dataIndex: 'kind', render: (k: Request['kind']) => <Tag>{t(`board.changeKind.${k}`)}</Tag>, width: 80 },
          { title: t('board.approvals.content'), render: (_: unknown, r: Request) => payloadText(t, r) },
          { title: t('board.approvals.by'), dataIndex: 'requestedBy', width: 90 },
          { title: t('board.approvals.at'), dataIndex: 'createdAt', render: (s: string) => localTime(s), width: 170 },
          { title: t('board.approvals.comments'), render: (_: unknown, r: Request) => r.comments.map((c) => `${c.by}：${c.text}`).join('；') },
          {
            title: '',
            width: 320,
            render: (_: unknown, r: Request) => (
              <Space>
                <Input size="small" placeholder={t('board.approvals.comment')} value={comments[r.id] ?? ''} onChange={(e) => setComments({ ...comments, [r.id]: e.target.value })} style={{ width: 170 }} />
                <Button size="small" type="primary" loading={busy === r.id} onClick={() => void decide(r.id, true)}>
                  {t('board.approvals.approve')}
                </Button>
                <Button size="small" danger loading={busy === r.id} onClick={() => void decide(r.id, false)}>
                  {t('board.approvals.reject')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Space>
  )
}

type Todo = OutputOf<'finance.todos'>['todos'][number]

/** 财务待办: refunds and re-invoicing created by approved changes. */
export function FinanceView() {
  const { t } = useTranslation()
  const api = useApi()
  const [rows, setRows] = useState<Todo[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    void api.try('finance.todos', { status: 'open' }).then((r) => (r.ok ? setRows(r.value.todos) : setError(boardErrorText(t, r.error))))
  }, [api, t])
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} />}
      <Table
        size="small"
        rowKey="id"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: t('board.finance.empty') }}
        columns={[
          { title: t('board.finance.kind'), dataIndex: 'kind', width: 120 },
          { title: t('board.finance.unit'), dataIndex: 'unit', width: 140 },
          { title: t('board.finance.amount'), dataIndex: 'amount', align: 'right', render: (a: number) => wan(a), width: 120 },
          { title: t('board.finance.note'), dataIndex: 'note' },
          { title: t('board.finance.at'), dataIndex: 'createdAt', render: (s: string) => localTime(s), width: 170 },
        ]}
      />
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
        <div>{t('board.overdue.date', { date: new Date().toLocaleDateString('zh-CN') })}</div>
      </div>
    </div>
  )
}
