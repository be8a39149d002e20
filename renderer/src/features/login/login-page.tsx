import { LockOutlined, UserOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Form, Input, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { useSession, type SessionNotice } from '../../api/session-context'
import { LanguageSwitch } from '../../app/language-switch'
import { useCountdown } from '../../app/use-countdown'
import { errorText } from '../../i18n/error-text'
import './login-page.css'

interface Values {
  username: string
  password: string
}

/**
 * Sign-in: username and password, Enter submits; says in plain words why it failed. After too many
 * failures the host answers RATE_LIMITED with the seconds to wait: the page counts them down live
 * and keeps the button disabled until then.
 */
export function LoginPage({ notice, bootError }: { notice: SessionNotice | null; bootError?: ApiErrorShape | undefined }) {
  const { t } = useTranslation()
  const { signIn } = useSession()
  const [form] = Form.useForm<Values>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiErrorShape | null>(bootError ?? null)
  const [lockedUntil, setLockedUntil] = useState<number | null>(null)
  const wait = useCountdown(lockedUntil)
  const locked = error?.code === 'RATE_LIMITED' && wait > 0

  useEffect(() => {
    // the wait is over: the lock message goes, the button comes back
    if (lockedUntil !== null && wait === 0) {
      setLockedUntil(null)
      setError((e) => (e?.code === 'RATE_LIMITED' ? null : e))
    }
  }, [lockedUntil, wait])

  async function submit(v: Values) {
    if (locked) return
    setBusy(true)
    setError(null)
    const failed = await signIn(v.username.trim(), v.password)
    setBusy(false)
    if (failed) {
      setError(failed)
      const seconds = failed.code === 'RATE_LIMITED' ? Number(failed.params?.seconds) : NaN
      setLockedUntil(Number.isFinite(seconds) && seconds > 0 ? Date.now() + seconds * 1000 : null)
      form.setFieldValue('password', '')
      form.focusField('password')
    }
  }

  const errorMessage = error && (locked ? errorText(t, { ...error, params: { ...error.params, seconds: wait } }) : errorText(t, error))

  return (
    <div className="login-screen">
      <div className="login-language">
        <LanguageSwitch />
      </div>
      <Card className="login-card">
        <Typography.Title level={2} className="login-brand">
          {t('app.name')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" className="login-tagline">
          {t('app.tagline')}
        </Typography.Paragraph>
        {notice && !error && (
          <Alert type={notice === 'signedOut' ? 'info' : 'warning'} showIcon message={t(`session.${notice}`)} className="login-alert" />
        )}
        {error && <Alert type="error" showIcon message={errorMessage} className="login-alert" role="alert" data-testid="login-error" />}
        <Form form={form} name="login" layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false} size="large">
          <Form.Item
            name="username"
            label={t('fields.username')}
            rules={[{ required: true, whitespace: true, message: t('validation.please_enter', { field: t('fields.username') }) }]}
          >
            <Input prefix={<UserOutlined />} placeholder={t('login.usernamePlaceholder')} autoFocus autoComplete="username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('fields.password')}
            rules={[{ required: true, message: t('validation.please_enter', { field: t('fields.password') }) }]}
          >
            <Input.Password prefix={<LockOutlined />} placeholder={t('login.passwordPlaceholder')} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} disabled={locked}>
            {locked ? t('login.waitSeconds', { seconds: wait }) : t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  )
}
