import { App, Button, Form, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { CLUB_POINTS } from '@shared/domain/club'
import { useApi } from '../../api/session-context'
import { ClientPicker, type PickedClient } from '../front-desk/client-picker'
import { DESK_SAVE_TEXTS } from '../front-desk/desk-errors'
import { useFormSave } from '../../app/use-form-save'

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
  const save = useFormSave(form, {
    save: async (v) => {
      const r = await api.try('referrals.create', { referrerId: v.referrer!.id, referredId: v.referred!.id })
      // the form's client pickers are the API's ids
      const field = r.ok ? null : r.error.field === 'referrerId' ? 'referrer' : r.error.field === 'referredId' ? 'referred' : null
      return r.ok || !field ? r : { ok: false as const, error: { ...r.error, field } }
    },
    saved: (_referral, v) => {
      void message.success(t('members.referral.done', { referrer: v.referrer!.name, referred: v.referred!.name }))
      form.resetFields()
    },
    texts: DESK_SAVE_TEXTS,
  })

  return (
    <div className="members-panel members-referral">
      <Typography.Paragraph type="secondary">{t('members.referral.hint', { points: CLUB_POINTS.referral })}</Typography.Paragraph>
      <Form form={form} layout="vertical" name="referral" onFinish={save.submit} requiredMark={false} style={{ maxWidth: 520 }}>
        <Form.Item name="referrer" label={t('members.referral.referrer')} rules={[{ required: true, message: t('members.referral.pick') }]}>
          <ClientPicker />
        </Form.Item>
        <Form.Item name="referred" label={t('members.referral.referred')} rules={[{ required: true, message: t('members.referral.pick') }]}>
          <ClientPicker />
        </Form.Item>
        {save.problem}
        <Button type="primary" htmlType="submit" loading={save.saving}>
          {t('members.referral.submit')}
        </Button>
      </Form>
    </div>
  )
}
