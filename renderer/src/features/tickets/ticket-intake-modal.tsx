import { App, Form, Input, Select } from 'antd'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { Ticket, TicketChannel } from '@shared/contract/tickets'
import { TICKET_CHANNELS } from '@shared/domain/tickets'
import { useApi } from '../../api/session-context'
import { Dialog } from '../../app/dialog'
import { APP_SAVE_TEXTS, useFormSave } from '../../app/use-form-save'
import { ClientPicker, type PickedClient } from '../front-desk/client-picker'
import { useTicketCategories, categoryName } from './use-ticket-categories'

interface Values {
  client: PickedClient | null
  categoryId: number
  channel: z.infer<typeof TicketChannel>
  content: string
}

/**
 * 受理工单: a complaint or service request for a client, by phone, on a visit or at the desk. With
 * `client` (the desk's swiped card) the client is already chosen.
 */
export function TicketIntakeModal({
  open,
  client,
  channel = 'desk',
  onClose,
  onCreated,
}: {
  open: boolean
  client?: PickedClient | null
  channel?: z.infer<typeof TicketChannel>
  onClose(): void
  onCreated(t: z.infer<typeof Ticket>): void
}) {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const categories = useTicketCategories(open)

  useEffect(() => {
    if (open) {
      form.resetFields()
      form.setFieldsValue({ client: client ?? null, channel })
    }
  }, [open, client, channel, form])

  // after the reset above, so a kept draft comes back over the fresh form as it opens
  const save = useFormSave(form, {
    save: async (v: Values) => {
      const r = await api.try('tickets.create', { clientId: v.client!.id, categoryId: v.categoryId, channel: v.channel, content: v.content.trim() })
      // the form's client picker is the API's clientId
      return r.ok || r.error.field !== 'clientId' ? r : { ok: false as const, error: { ...r.error, field: 'client' } }
    },
    saved: (ticket) => {
      void message.success(t('tickets.intake.saved', { id: ticket.id }))
      onCreated(ticket)
    },
    close: onClose,
    texts: APP_SAVE_TEXTS,
    // the typed complaint survives a reload or a lost connection: per client when the desk chose one
    draft: open ? `ticketIntake.${client?.id ?? 'any'}` : undefined,
  })

  return (
    <Dialog
      open={open}
      title={client ? t('tickets.intake.titleFor', { client: client.name }) : t('tickets.intake.title')}
      okText={t('tickets.intake.save')}
      cancelText={t('tickets.intake.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving }}
      onCancel={save.cancel}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} layout="vertical" onFinish={save.submit} autoComplete="off" data-testid="ticket-intake-form">
          {dom}
        </Form>
      )}
    >
      {save.problem}
      <Form.Item name="client" label={t('tickets.intake.client')} rules={[{ required: true, message: t('validation.required') }]} hidden={Boolean(client)}>
        <ClientPicker aria-label={t('tickets.intake.client')} />
      </Form.Item>
      <Form.Item name="categoryId" label={t('tickets.intake.category')} rules={[{ required: true, message: t('validation.required') }]}>
        <Select<number>
          aria-label={t('tickets.intake.category')}
          showSearch
          optionFilterProp="label"
          options={(['complaint', 'owner_service', 'post_sale'] as const).map((kind) => ({
            label: t(`tickets.kinds.${kind}`),
            options: categories.filter((c) => c.kind === kind && c.active).map((c) => ({ value: c.id, label: categoryName(c, i18n.language) })),
          }))}
        />
      </Form.Item>
      <Form.Item name="channel" label={t('tickets.intake.channel')}>
        <Select options={TICKET_CHANNELS.map((c) => ({ value: c, label: t(`tickets.channels.${c}`) }))} />
      </Form.Item>
      <Form.Item name="content" label={t('tickets.intake.content')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
        <Input.TextArea maxLength={2000} rows={4} />
      </Form.Item>
    </Dialog>
  )
}
