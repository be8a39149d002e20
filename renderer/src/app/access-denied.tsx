import { Button, Result } from 'antd'
import { useTranslation } from 'react-i18next'
import { useMe } from '../api/session-context'
import { startPath } from './routes'
import { navigate } from './use-hash-route'

/** The 403 page: the signed-in role may not open this page. */
export function AccessDenied({ page }: { page: string }) {
  const { t } = useTranslation()
  const me = useMe()
  return (
    <Result
      status="403"
      title={t('forbidden.title')}
      subTitle={t('forbidden.subtitle', { role: t(`roles.${me.role}`), page })}
      extra={
        <Button type="primary" onClick={() => navigate(startPath(me.role))}>
          {t('forbidden.back')}
        </Button>
      }
    />
  )
}
