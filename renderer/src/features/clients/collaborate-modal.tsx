import { App } from 'antd'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/session-context'
import { ReasonModal } from './reason-modal'

/** 申请协作: an agent who does not own a client asks its owner to work it together. */
export function CollaborateModal({
  client,
  onClose,
}: {
  client: { id: number; name: string; ownerName: string | null }
  onClose(): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  return (
    <ReasonModal
      title={t('clients.collaborate.title', { name: client.name })}
      okText={t('clients.collaborate.ok')}
      hint={client.ownerName ? t('clients.collaborate.hint', { owner: client.ownerName }) : t('clients.collaborate.hintNoOwner')}
      field={{ name: 'note', label: t('clients.collaborate.note'), placeholder: t('clients.collaborate.notePlaceholder'), maxLength: 500, multiline: true }}
      submit={(note) => api.try('clients.requestCollaboration', { clientId: client.id, note })}
      onDone={() => void message.success(t('clients.collaborate.done', { owner: client.ownerName ?? t('clients.profile.noOwner') }))}
      onClose={onClose}
    />
  )
}
