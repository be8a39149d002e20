import { Button, Card, Descriptions, Typography } from 'antd'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from './language-switch'
import type { FirstRun } from './desktop'
import './first-run.css'

/** One line of the printed sheet, in Chinese then English whatever the screen's language. */
function SheetLine({ k, children }: { k: 'sheetTitle' | 'sheetBranch' | 'sheetDate' | 'sheetKey' | 'sheetWhat' | 'sheetKeep'; children?: ReactNode }) {
  const { i18n } = useTranslation()
  const zh = i18n.getFixedT('zh')
  const en = i18n.getFixedT('en')
  return (
    <p>
      <strong>{zh(`firstRun.${k}`)}</strong> {en(`firstRun.${k}`)}
      {children}
    </p>
  )
}

/**
 * A recovery key (a new database's, or a rekey's), shown once: on screen, and as a sheet for the printer (only the
 * sheet prints; zh first, en too, whatever the screen's language). Nothing of it is kept.
 */
export function RecoveryKeySheet({ recoveryKey }: { recoveryKey: string }) {
  const { t } = useTranslation()
  const today = new Date().toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })
  return (
    <div className="first-run-recovery" data-testid="first-run-recovery">
      <Typography.Title level={4}>{t('firstRun.recoveryTitle')}</Typography.Title>
      <Typography.Paragraph>{t('firstRun.recoveryIntro')}</Typography.Paragraph>
      <Typography.Paragraph className="first-run-secret first-run-recovery-key" data-testid="first-run-recovery-key">
        {recoveryKey}
      </Typography.Paragraph>
      <Button block onClick={() => window.print()}>
        {t('firstRun.print')}
      </Button>
      <div className="recovery-sheet" aria-hidden="true">
        <SheetLine k="sheetTitle" />
        <SheetLine k="sheetBranch">: ____________________</SheetLine>
        <SheetLine k="sheetDate">: {today}</SheetLine>
        <SheetLine k="sheetKey" />
        <p className="recovery-sheet-key">{recoveryKey}</p>
        <SheetLine k="sheetWhat" />
        <SheetLine k="sheetKeep" />
      </div>
    </div>
  )
}

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
        {credentials.recoveryKey ? <RecoveryKeySheet recoveryKey={credentials.recoveryKey} /> : null}
        <Button type="primary" size="large" block autoFocus onClick={onDone}>
          {t('firstRun.done')}
        </Button>
      </Card>
    </div>
  )
}
