import { Alert, Form, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/session-context'
import { ClientPicker, type PickedClient } from './client-picker'
import { deskErrorText } from './desk-errors'
import { cardNumberText } from './desk-format'
import { Dialog } from '../../app/dialog'

interface Props {
  /** the unknown card to give; null when closed. */
  cardUid: string | null
  onClose(): void
  onDone(clientId: number): void
}

/** 发卡给已有客户: find the client by search, then give them the card that was just swiped. */
export function IssueExistingModal({ cardUid, onClose, onDone }: Props) {
  const { t } = useTranslation()
  const api = useApi()
  const [client, setClient] = useState<PickedClient | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    setClient(null)
    setError(null)
  }, [cardUid])

  const issue = async () => {
    if (!cardUid) return
    if (!client) {
      setError(t('frontDesk.issue.pickFirst'))
      return
    }
    setSaving(true)
    const r = await api.try('cards.issue', { clientId: client.id, read: { uid: cardUid } })
    setSaving(false)
    if (!r.ok) setError(deskErrorText(t, r.error))
    else onDone(client.id)
  }

  return (
    <Dialog
      focusTriggerAfterClose={false}
      open={cardUid !== null}
      title={t('frontDesk.issue.title', { uid: cardNumberText(cardUid ?? '') })}
      onCancel={onClose}
      onOk={() => void issue()}
      okText={t('frontDesk.issue.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('frontDesk.issue.hint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('frontDesk.issue.client')} htmlFor="issue-client">
          <ClientPicker
            id="issue-client"
            value={client}
            onChange={(c) => {
              setClient(c)
              setError(null)
            }}
          />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} data-testid="issue-error" />}
    </Dialog>
  )
}
