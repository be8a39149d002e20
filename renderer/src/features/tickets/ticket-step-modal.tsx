import { App, Form, Input, Rate, Select, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { Ticket } from '@shared/contract/tickets'
import { formatBranchTime } from '@shared/domain/branch-time'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import { Dialog } from '../../app/dialog'
import { APP_SAVE_TEXTS, useFormSave } from '../../app/use-form-save'

type TicketRow = z.infer<typeof Ticket>
/** The step a dialog records: dispatch to a person, feed back to the client, the return visit that closes. */
export type Step = 'dispatch' | 'feedBack' | 'close'

interface Values {
  assigneeId?: number
  feedback?: string
  returnVisit?: string
  satisfaction?: number
}

/** The people a ticket can go to: the client's owner, and for a manager every active colleague but the admins. */
function useHandlers(ticket: TicketRow, open: boolean) {
  const api = useApi()
  const me = useMe()
  const [people, setPeople] = useState<Array<{ id: number; name: string }>>([])
  useEffect(() => {
    if (!open || !mayCall(me.role, 'staff.list')) return
    let live = true
    void api.try('staff.list', { active: true, limit: 500 }).then((r) => live && r.ok && setPeople(r.value.rows.filter((s) => s.role !== 'admin').map((s) => ({ id: s.id, name: s.name }))))
    return () => {
      live = false
    }
  }, [api, me.role, open])
  const owner = ticket.client.owner
  return { owner, others: people.filter((p) => p.id !== owner?.id) }
}

/** One step of a ticket's life as a dialog: 派单, 反馈客户 or 回访关闭. */
export function TicketStepModal({ ticket, step, onClose, onDone }: { ticket: TicketRow; step: Step; onClose(): void; onDone(t: TicketRow): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const handlers = useHandlers(ticket, step === 'dispatch')

  const save = useFormSave(form, {
    save: (v) => {
      const base = { id: ticket.id, version: ticket.version }
      return step === 'dispatch'
        ? api.try('tickets.dispatch', { ...base, assigneeId: v.assigneeId ?? 0 })
        : step === 'feedBack'
          ? api.try('tickets.feedBack', { ...base, feedback: (v.feedback ?? '').trim() })
          : api.try('tickets.close', { ...base, returnVisit: (v.returnVisit ?? '').trim(), satisfaction: v.satisfaction ?? 0 })
    },
    saved: (done) => {
      void message.success(
        step === 'dispatch'
          ? t('tickets.dispatch.saved', { name: done.assignee?.name ?? '', deadline: formatBranchTime(done.deadlineAt) })
          : step === 'feedBack'
            ? t('tickets.feedBack.saved')
            : t('tickets.close.saved'),
      )
      onDone(done)
    },
    close: onClose,
    refused: (e) => {
      if (e.code !== 'STALE_WRITE') return false
      void message.warning(t('tickets.stale'))
      onDone(ticket)
      onClose()
      return true
    },
    texts: APP_SAVE_TEXTS,
    draft: `ticket.${ticket.id}.${step}`,
  })

  const title = step === 'dispatch' ? t('tickets.dispatch.title', { id: ticket.id }) : step === 'feedBack' ? t('tickets.feedBack.title', { id: ticket.id }) : t('tickets.close.title', { id: ticket.id })
  const okText = step === 'dispatch' ? t('tickets.dispatch.save') : step === 'feedBack' ? t('tickets.feedBack.save') : t('tickets.close.save')
  const scores = t('tickets.close.scores', { returnObjects: true }) as string[]

  return (
    <Dialog
      open
      title={title}
      okText={okText}
      cancelText={t('tickets.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving }}
      onCancel={save.cancel}
      destroyOnHidden
      modalRender={(dom) => (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ assigneeId: ticket.assignee?.id ?? ticket.client.owner?.id, satisfaction: 5 }}
          onFinish={save.submit}
          autoComplete="off"
          data-testid={`ticket-${step}-form`}
        >
          {dom}
        </Form>
      )}
    >
      {save.problem}
      <Typography.Paragraph type="secondary">
        {ticket.client.name} · {ticket.content}
      </Typography.Paragraph>
      {step === 'dispatch' && (
        <>
          <Form.Item name="assigneeId" label={t('tickets.dispatch.assignee')} rules={[{ required: true, message: t('validation.required') }]}>
            <Select<number>
              aria-label={t('tickets.dispatch.assignee')}
              showSearch
              optionFilterProp="label"
              options={[
                ...(handlers.owner ? [{ value: handlers.owner.id, label: t('tickets.dispatch.owner', { name: handlers.owner.name }) }] : []),
                ...handlers.others.map((p) => ({ value: p.id, label: p.name })),
              ]}
            />
          </Form.Item>
          <Typography.Text type="secondary">{t('tickets.dispatch.deadlineNote')}</Typography.Text>
        </>
      )}
      {step === 'feedBack' && (
        <Form.Item name="feedback" label={t('tickets.feedBack.feedback')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea maxLength={2000} rows={4} />
        </Form.Item>
      )}
      {step === 'close' && (
        <>
          <Form.Item name="returnVisit" label={t('tickets.close.returnVisit')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input.TextArea maxLength={2000} rows={3} />
          </Form.Item>
          <Form.Item name="satisfaction" label={t('tickets.close.satisfaction')} rules={[{ required: true, message: t('validation.required') }]}>
            <Rate count={5} tooltips={scores} aria-label={t('tickets.close.satisfaction')} />
          </Form.Item>
        </>
      )}
    </Dialog>
  )
}
