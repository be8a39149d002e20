import { LockOutlined, UserOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Form, Input, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '../../../../shared/contract/common'
import { useSession } from '../../api/session-context'
import { LanguageSwitch } from '../../app/language-switch'
import { errorText } from '../../i18n/error-text'
import './login-page.css'

interface Values {
  username: string
  password: string
}

/** Sign-in: username and password, Enter submits; says in plain words why it failed. */
export function LoginPage({ notice, bootError }: { notice: string | null; bootError?: ApiErrorShape | undefined }) {
  const { t } = useTranslation()
  const { signIn } = useSession()
  const [form] = Form.useForm<Values>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiErrorShape | null>(bootError ?? null)

  async function submit(v: Values) {
    setBusy(true)
    setError(null)
    const failed = await signIn(v.username.trim(), v.password)
    setBusy(false)
    if (failed) {
      setError(failed)
      form.setFieldValue('password', '')
      form.focusField('password')
    }
  }

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
          <Alert type={notice === 'session.signedOut' ? 'info' : 'warning'} showIcon message={t(notice)} className="login-alert" />
        )}
        {error && <Alert type="error" showIcon message={errorText(t, error)} className="login-alert" role="alert" />}
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
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  )
}
