import { App } from 'antd'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { ClientPhone } from '@shared/contract/clients'
import { useApi } from '../../api/session-context'
import { ReasonModal } from './reason-modal'

type Phone = z.infer<typeof ClientPhone>

/** 显示号码: full numbers (phones and ID number) of a client the viewer does not own, with a reason for the audit log. */
export function RevealPhonesModal({ client, onClose, onShown }: { client: { id: number; name: string }; onClose(): void; onShown(shown: { phones: Phone[]; idNumber: string | null }): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  return (
    <ReasonModal
      title={t('clients.reveal.title', { name: client.name })}
      okText={t('clients.reveal.ok')}
      hint={t('clients.reveal.hint')}
      field={{ name: 'reason', label: t('clients.reveal.reason'), placeholder: t('clients.reveal.reasonPlaceholder'), maxLength: 200 }}
      submit={(reason) => api.try('clients.revealPhones', { id: client.id, reason })}
      onDone={(r) => {
        void message.success(t('clients.reveal.shown'))
        onShown(r)
      }}
      onClose={onClose}
    />
  )
}
