import { Alert, App, Button, Form, Input, Segmented, Space, Table } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import type { OutputOf } from '@shared/contract'
import type { HostText } from '@shared/contract/host-text'
import { formatBranchTime } from '@shared/domain/branch-time'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { APP_SAVE_TEXTS, useFormSave } from '../../app/use-form-save'
import { FormDialog } from '../../app/form-dialog'
import { textRule } from '../../app/text-rules'
import { hostText } from '../../i18n/host-text'
import { isTextIn } from '../../i18n/text-keys'
import { zh } from '../../i18n/zh'
import { ExportButton } from '../export/export-button'
import { boardErrorText, yuan } from './format'

type Todo = OutputOf<'finance.todos'>['todos'][number]
type Show = Todo['status']

function kindName(t: TFunction, k: string): string {
  return isTextIn(zh.board.finance.kinds, k) ? t(`board.finance.kinds.${k}`) : k
}

/** 财务待办: refunds and re-invoicing created by approved changes; the desk or the manager closes each with its reference. */
export function FinanceView() {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const [show, setShow] = useState<Show>('open')
  const [rows, setRows] = useState<Todo[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [closing, setClosing] = useState<Todo | null>(null)
  const load = useCallback(
    async (status: Show) => {
      setRows(null)
      const r = await api.try('finance.todos', { status })
      if (r.ok) {
        setRows(r.value.todos)
        setError(null)
      } else setError(boardErrorText(t, r.error))
    },
    [api, t],
  )
  useEffect(() => {
    void load(show)
  }, [load, show])
  const mayClose = mayCall(me.role, 'finance.markDone')
  const done = show === 'done'
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Segmented<Show>
        value={show}
        onChange={setShow}
        options={[
          { value: 'open', label: t('board.finance.show.open') },
          { value: 'done', label: t('board.finance.show.done') },
        ]}
      />
      {me.role === 'manager' && <ExportButton request={{ grid: 'finance', query: { status: show } }} />}
      {error && <Alert type="error" showIcon message={error} />}
      <Table
        size="small"
        rowKey="id"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        pagination={false}
        locale={{ emptyText: t(done ? 'board.finance.emptyDone' : 'board.finance.empty') }}
        columns={[
          { title: t('board.finance.kind'), dataIndex: 'kind', width: 100, render: (k: string) => kindName(t, k) },
          { title: t('board.finance.unit'), dataIndex: 'unit', width: 130 },
          { title: t('board.finance.amount'), dataIndex: 'amount', align: 'right', render: (a: number) => yuan(a), width: 120 },
          { title: t('board.finance.note'), dataIndex: 'note', render: (n: HostText) => hostText(t, n) },
          { title: t('board.finance.at'), dataIndex: 'createdAt', render: (s: string) => formatBranchTime(s), width: 160 },
          ...(done
            ? [
                { title: t('board.finance.doneBy'), dataIndex: 'doneBy', width: 90 },
                { title: t('board.finance.doneAt'), dataIndex: 'doneAt', render: (s: string | null) => (s ? formatBranchTime(s) : ''), width: 160 },
                { title: t('board.finance.reference'), dataIndex: 'reference', width: 140 },
              ]
            : mayClose
              ? [
                  {
                    title: '',
                    key: 'actions',
                    width: 110,
                    render: (_: unknown, r: Todo) => (
                      <Button size="small" onClick={() => setClosing(r)}>
                        {t('board.finance.markDone')}
                      </Button>
                    ),
                  },
                ]
              : []),
        ]}
      />
      {closing && (
        <FinanceDoneModal
          todo={closing}
          onClose={() => setClosing(null)}
          onDone={() => {
            setClosing(null)
            void load(show)
          }}
        />
      )}
    </Space>
  )
}

/** Closes one to-do with the refund voucher or new invoice number (finance.markDone). */
function FinanceDoneModal({ todo, onClose, onDone }: { todo: Todo; onClose(): void; onDone(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ reference: string }>()
  const kind = kindName(t, todo.kind)
  const save = useFormSave(form, {
    save: ({ reference }) => api.try('finance.markDone', { id: todo.id, version: todo.version, reference }),
    saved: (done) => {
      void message.success(t('board.finance.done', { kind, unit: done.unit, reference: done.reference }))
      onDone()
    },
    // done by someone else, or changed: said, and the list shows what is true now
    refused: (e) => {
      if (e.code !== 'CONFLICT' && e.code !== 'STALE_WRITE') return false
      void message.error(boardErrorText(t, e))
      onDone()
      return true
    },
    close: onClose,
    texts: { ...APP_SAVE_TEXTS, problem: boardErrorText },
  })

  return (
    <FormDialog
      form={form}
      title={t('board.finance.dialogTitle', { kind, unit: todo.unit, amount: yuan(todo.amount) })}
      okText={t('board.finance.confirm')}
      saving={save.saving}
      onFinish={save.submit}
      onCancel={save.cancel}
      testId="finance-done-form"
    >
      {save.problem}
      <Form.Item
        name="reference"
        label={t('fields.reference')}
        extra={t('board.finance.referenceHelp')}
        rules={[{ required: true, whitespace: true, message: t('validation.please_enter', { field: t('fields.reference') }) }, textRule(t, 'line')]}
      >
        <Input maxLength={60} />
      </Form.Item>
    </FormDialog>
  )
}
