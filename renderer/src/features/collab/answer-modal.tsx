import { App, Form, Input, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { CollabRequest } from '@shared/contract/collab'
import { useApi } from '../../api/session-context'
import { FormDialog } from '../../app/form-dialog'
import { useFormSave } from '../../app/use-form-save'
import { CLIENT_SAVE_TEXTS } from '../clients/client-errors'

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
  const names = { requester: request.requester.name, client: request.clientName }

  const save = useFormSave(form, {
    save: (v) => {
      const reason = v.reason?.trim()
      return api.try('collab.answer', { id: request.id, version: request.version, accept, ...(reason ? { reason } : {}) })
    },
    saved: () => {
      void message.success(accept ? t('collab.answer.accepted', names) : t('collab.answer.declined', names))
      onDone()
    },
    close: onClose,
    refused: (e) => {
      if (e.code !== 'STALE_WRITE') return false
      void message.warning(t('collab.answer.stale'))
      onStale()
      onClose()
      return true
    },
    texts: CLIENT_SAVE_TEXTS,
  })

  return (
    <FormDialog
      form={form}
      title={accept ? t('collab.answer.acceptTitle', names) : t('collab.answer.declineTitle', names)}
      okText={accept ? t('collab.answer.acceptOk') : t('collab.answer.declineOk')}
      saving={save.saving}
      danger={!accept}
      onFinish={save.submit}
      onCancel={onClose}
      testId="collab-answer-form"
    >
      <Typography.Paragraph type="secondary">{accept ? t('collab.answer.acceptHint', names) : t('collab.answer.declineHint', names)}</Typography.Paragraph>
      <Typography.Paragraph>{t('collab.answer.note', { note: request.note })}</Typography.Paragraph>
      {save.problem}
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
