import { KeyOutlined } from '@ant-design/icons'
import { Alert, Button, Form, Input, Space, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { Dialog } from '../../app/dialog'
import { RecoveryKeySheet } from '../../app/first-run-page'
import { FormDialog } from '../../app/form-dialog'
import { errorText } from '../../i18n/error-text'

/**
 * 更换密钥: the admin types their password again, the host changes the database key and the
 * recovery key, and the new recovery key is shown once (printable) until the admin closes it.
 */
export function RekeySection({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null)
  const [form] = Form.useForm<{ password: string }>()

  const close = () => {
    setAsking(false)
    setProblem(null)
    form.resetFields()
  }

  const rekey = async ({ password }: { password: string }) => {
    setBusy(true)
    const r = await api.try('backup.rekey', { password })
    setBusy(false)
    if (!r.ok) return setProblem(r.error)
    close()
    setRecoveryKey(r.value.recoveryKey)
    onChanged()
  }

  return (
    <Space direction="vertical" style={{ maxWidth: 720 }}>
      <Typography.Title level={5}>{t('backup.rekey.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('backup.rekey.intro')}</Typography.Paragraph>
      <Button icon={<KeyOutlined />} onClick={() => setAsking(true)} data-testid="backup-rekey">
        {t('backup.rekey.start')}
      </Button>
      {asking && (
        <FormDialog form={form} title={t('backup.rekey.confirmTitle')} okText={t('backup.rekey.ok')} saving={busy} onFinish={(v) => void rekey(v)} onCancel={close} testId="backup-rekey-form">
          <Typography.Paragraph>{t('backup.rekey.confirmBody')}</Typography.Paragraph>
          {problem && <Alert type="error" showIcon message={errorText(t, problem)} style={{ marginBottom: 12 }} />}
          <Form.Item name="password" label={t('backup.rekey.password')} rules={[{ required: true, message: t('backup.rekey.passwordNeeded') }]}>
            <Input.Password autoComplete="current-password" maxLength={128} />
          </Form.Item>
        </FormDialog>
      )}
      <Dialog
        open={recoveryKey !== null}
        focusFirstField={false}
        title={t('backup.rekey.doneTitle')}
        closable={false}
        maskClosable={false}
        keyboard={false}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText={t('backup.rekey.written')}
        onOk={() => setRecoveryKey(null)}
        width={640}
      >
        <Alert type="warning" showIcon message={t('backup.rekey.doneBody')} style={{ marginBottom: 12 }} />
        {recoveryKey && <RecoveryKeySheet recoveryKey={recoveryKey} />}
      </Dialog>
    </Space>
  )
}
