import { Result } from 'antd'
import { useTranslation } from 'react-i18next'
import type { PageProps } from '../../app/routes'
import { ClientListPage } from './client-list-page'
import { ClientProfilePage } from './client-profile-page'
import './clients.css'

/** 客户 (#/clients, #/clients/:id): the list stays mounted under an open profile, so going back keeps its place. */
export function ClientsPage({ params }: PageProps) {
  const { t } = useTranslation()
  const [first] = params
  const id = first !== undefined && /^\d+$/.test(first) ? Number(first) : null
  return (
    <>
      <ClientListPage hidden={first !== undefined} />
      {id !== null && <ClientProfilePage key={id} id={id} />}
      {first !== undefined && id === null && <Result status="404" title={t('clients.profile.notFound')} />}
    </>
  )
}
