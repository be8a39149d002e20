import { Form, Typography } from 'antd'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/session-context'
import { useFormSave } from '../../app/use-form-save'
import { ClientPicker, type PickedClient } from './client-picker'
import { DESK_SAVE_TEXTS } from './desk-errors'
import { cardNumberText } from './desk-format'
import { Dialog } from '../../app/dialog'

interface Props {
  /** the unknown card to give; null when closed. */
  cardUid: string | null
  onClose(): void
  onDone(clientId: number): void
}

interface Values {
  client: PickedClient
}

/** 发卡给已有客户: find the client by search, then give them the card that was just swiped. */
export function IssueExistingModal({ cardUid, onClose, onDone }: Props) {
  const { t } = useTranslation()
  const api = useApi()
  const [form] = Form.useForm<Values>()
  const save = useFormSave(form, {
    // the dialog is open only with a card
    save: (v) => api.try('cards.issue', { clientId: v.client.id, read: { uid: cardUid! } }),
    // onDone closes it (and opens the client)
    saved: (_, v) => onDone(v.client.id),
    texts: DESK_SAVE_TEXTS,
  })

  useEffect(() => {
    form.resetFields()
  }, [cardUid, form])

  return (
    <Dialog
      focusTriggerAfterClose={false}
      open={cardUid !== null}
      title={t('frontDesk.issue.title', { uid: cardNumberText(cardUid ?? '') })}
      onCancel={() => {
        save.cancel()
        onClose()
      }}
      onOk={() => form.submit()}
      okText={t('frontDesk.issue.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={save.saving}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('frontDesk.issue.hint')}</Typography.Paragraph>
      {save.problem}
      <Form<Values> form={form} layout="vertical" name="issueExisting" onFinish={save.submit} requiredMark={false}>
        <Form.Item name="client" label={t('frontDesk.issue.client')} htmlFor="issue-client" rules={[{ required: true, message: t('frontDesk.issue.pickFirst') }]}>
          <ClientPicker id="issue-client" />
        </Form.Item>
      </Form>
    </Dialog>
  )
}
