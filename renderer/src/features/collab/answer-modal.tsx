import { Alert, App, Form, Input, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { CollabRequest } from '@shared/contract/collab'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { FormDialog } from '../../app/form-dialog'
import { clientErrorText, putErrorOnField } from '../clients/client-errors'

type Request = z.infer<typeof CollabRequest>

/**
 * The owner's (or a manager's) answer to one 申请协作: accept with an optional word, or decline
 * with a reason the requester is told. A request answered meanwhile is refused (onStale).
 */
export function AnswerModal({ request, accept, onClose, onDone, onStale }: { request: Request; accept: boolean; onClose(): void; onDone(): void; onStale(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ reason?: string }>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const names = { requester: request.requester.name, client: request.clientName }

  async function send(v: { reason?: string }) {
    setSaving(true)
    setProblem(null)
    const reason = v.reason?.trim()
    const r = await api.try('collab.answer', { id: request.id, version: request.version, accept, ...(reason ? { reason } : {}) })
    setSaving(false)
    if (r.ok) {
      void message.success(accept ? t('collab.answer.accepted', names) : t('collab.answer.declined', names))
      onDone()
      onClose()
      return
    }
    if (r.error.code === 'STALE_WRITE') {
      void message.warning(t('collab.answer.stale'))
      onStale()
      onClose()
      return
    }
    if (!putErrorOnField(form, t, r.error)) setProblem(r.error)
  }

  return (
    <FormDialog
      form={form}
      title={accept ? t('collab.answer.acceptTitle', names) : t('collab.answer.declineTitle', names)}
      okText={accept ? t('collab.answer.acceptOk') : t('collab.answer.declineOk')}
      saving={saving}
      danger={!accept}
      onFinish={(v) => void send(v)}
      onCancel={onClose}
      testId="collab-answer-form"
    >
      <Typography.Paragraph type="secondary">{accept ? t('collab.answer.acceptHint', names) : t('collab.answer.declineHint', names)}</Typography.Paragraph>
      <Typography.Paragraph>{t('collab.answer.note', { note: request.note })}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" message={clientErrorText(t, problem)} style={{ marginBottom: 16 }} />}
      <Form.Item
        name="reason"
        label={accept ? t('collab.answer.message') : t('collab.answer.reason')}
        rules={accept ? [] : [{ required: true, whitespace: true, min: 2, message: t('validation.decline_reason') }]}
      >
        <Input maxLength={200} placeholder={accept ? t('collab.answer.messagePlaceholder') : t('collab.answer.reasonPlaceholder')} />
      </Form.Item>
    </FormDialog>
  )
}
