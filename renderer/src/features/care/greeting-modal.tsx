import { App, Form, Input, Select } from 'antd'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import type { z } from 'zod'
import type { GreetingChannel, Occasion } from '@shared/contract/care'
import { useApi } from '../../api/session-context'
import { FormDialog } from '../../app/form-dialog'
import { useFormSave } from '../../app/use-form-save'
import { CLIENT_SAVE_TEXTS } from '../clients/client-errors'

type Channel = z.infer<typeof GreetingChannel>
interface Values {
  channel: Channel
  content: string
}

/** An occasion's name on the care screens. */
export function occasionLabel(t: TFunction, occasion: z.infer<typeof Occasion>): string {
  return occasion === 'birthday' || occasion === 'dealAnniversary' || occasion === 'handoverMonth' ? t(`care.${occasion}`) : t(`care.holidays.${occasion}`)
}

/** The greeting to one client on a care list: how it was sent and what was said, saved as a follow-up. */
export function GreetingModal({
  client,
  occasion,
  date,
  onClose,
  onDone,
}: {
  client: { clientId: number; name: string; greeting: string }
  occasion: z.infer<typeof Occasion>
  date: string
  onClose(): void
  onDone(): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const occasionName = occasionLabel(t, occasion)
  // the occasion's template, filled for this client by the host
  const initial: Values = { channel: 'wechat', content: client.greeting }

  const save = useFormSave(form, {
    save: (v) => api.try('care.markDone', { clientId: client.clientId, occasion, date, channel: v.channel, content: v.content.trim() }),
    saved: () => {
      void message.success(t('care.mark.saved'))
      onDone()
    },
    close: onClose,
    texts: CLIENT_SAVE_TEXTS,
  })

  return (
    <FormDialog
      form={form}
      title={t('care.mark.title', { client: client.name, occasion: occasionName })}
      okText={t('care.mark.save')}
      cancelText={t('care.mark.cancel')}
      saving={save.saving}
      initialValues={initial}
      onFinish={save.submit}
      onCancel={onClose}
      testId="care-greeting-form"
    >
      {save.problem}
      <Form.Item name="channel" label={t('care.mark.channel')}>
        <Select<Channel>
          options={(['wechat', 'sms', 'phone'] as const).map((c) => ({ value: c, label: t(`care.channels.${c}`) }))}
        />
      </Form.Item>
      <Form.Item name="content" label={t('care.mark.content')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
        <Input.TextArea maxLength={2000} rows={3} />
      </Form.Item>
    </FormDialog>
  )
}
