import { Alert, App, Button, Form, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CLUB_POINTS } from '@shared/domain/club'
import { useApi } from '../../api/session-context'
import { ClientPicker, type PickedClient } from '../front-desk/client-picker'
import { deskErrorText } from '../front-desk/desk-errors'

interface Values {
  referrer: PickedClient | null
  referred: PickedClient | null
}

/** 老带新: record that one client brought another; the referrer earns points when the new client signs. */
export function ReferralPanel() {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (v: Values) => {
    if (!v.referrer || !v.referred) return
    setSaving(true)
    setError(null)
    const r = await api.try('referrals.create', { referrerId: v.referrer.id, referredId: v.referred.id })
    setSaving(false)
    if (!r.ok) {
      const field = r.error.field === 'referrerId' ? 'referrer' : r.error.field === 'referredId' ? 'referred' : null
      if (field) form.setFields([{ name: field, errors: [deskErrorText(t, r.error)] }])
      else setError(deskErrorText(t, r.error))
      return
    }
    void message.success(t('members.referral.done', { referrer: v.referrer.name, referred: v.referred.name }))
    form.resetFields()
  }

  return (
    <div className="members-panel members-referral">
      <Typography.Paragraph type="secondary">{t('members.referral.hint', { points: CLUB_POINTS.referral })}</Typography.Paragraph>
      <Form form={form} layout="vertical" name="referral" onFinish={(v) => void submit(v)} requiredMark={false} style={{ maxWidth: 520 }}>
        <Form.Item name="referrer" label={t('members.referral.referrer')} rules={[{ required: true, message: t('members.referral.pick') }]}>
          <ClientPicker />
        </Form.Item>
        <Form.Item name="referred" label={t('members.referral.referred')} rules={[{ required: true, message: t('members.referral.pick') }]}>
          <ClientPicker />
        </Form.Item>
        {error && <Alert style={{ marginBottom: 12 }} type="error" showIcon message={error} />}
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('members.referral.submit')}
        </Button>
      </Form>
    </div>
  )
}
