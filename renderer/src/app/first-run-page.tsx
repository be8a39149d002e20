import { Button, Card, Descriptions, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from './language-switch'
import type { FirstRun } from './desktop'
import './first-run.css'

/**
 * The very first start of a new branch database, on the host PC's window: the first admin's
 * sign-in, shown once (main forgets it as soon as it is handed over), then on to sign-in.
 */
export function FirstRunPage({ credentials, onDone }: { credentials: FirstRun; onDone: () => void }) {
  const { t } = useTranslation()
  return (
    <div className="first-run-screen">
      <div className="first-run-language">
        <LanguageSwitch />
      </div>
      <Card className="first-run-card" data-testid="first-run">
        <Typography.Title level={3}>{t('firstRun.title')}</Typography.Title>
        <Typography.Paragraph>{t('firstRun.intro')}</Typography.Paragraph>
        <Descriptions column={1} bordered size="middle" className="first-run-credentials">
          <Descriptions.Item label={t('firstRun.username')}>
            <Typography.Text className="first-run-secret">{credentials.username}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('firstRun.password')}>
            <Typography.Text
              className="first-run-secret"
              data-testid="first-run-password"
              copyable={{ text: credentials.password, tooltips: [t('firstRun.copy'), t('firstRun.copied')] }}
            >
              {credentials.password}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph type="secondary" className="first-run-after">
          {t('firstRun.after')}
        </Typography.Paragraph>
        <Button type="primary" size="large" block autoFocus onClick={onDone}>
          {t('firstRun.done')}
        </Button>
      </Card>
    </div>
  )
}
