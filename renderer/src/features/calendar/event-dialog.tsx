import { App, DatePicker, Form, Input, Select } from 'antd'
import type { Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import { TeamEventKind } from '@shared/contract/calendar'
import { useApi } from '../../api/session-context'
import { branchPickerAt, fromPicker } from '../../app/branch-picker'
import { errorText } from '../../i18n/error-text'
import { FormDialog } from '../../app/form-dialog'
import { useFormSave } from '../../app/use-form-save'

interface Values {
  kind: (typeof TeamEventKind.options)[number]
  title: string
  place?: string
  startsAt: Dayjs
  endsAt: Dayjs
  participantIds: number[]
}

/** 新建团队日程: a meeting, duty or training for some colleagues; they get a notice, and who is already booked then is said. */
export function EventDialog({ people, onClose, onSaved }: { people: ReadonlyArray<{ id: number; name: string }>; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const save = useFormSave(form, {
    save: (v) =>
      api.try('calendar.createEvent', {
        kind: v.kind,
        title: v.title.trim(),
        place: v.place?.trim() ? v.place.trim() : undefined,
        startsAt: fromPicker(v.startsAt.second(0).millisecond(0)),
        endsAt: fromPicker(v.endsAt.second(0).millisecond(0)),
        participantIds: v.participantIds,
      }),
    saved: (made) => {
      const busy = [...new Set(made.conflicts.map((c) => c.name))]
      void message.success(t('calendar.dialog.saved', { count: made.event.staffIds.length }))
      if (busy.length > 0) void message.warning(t('calendar.dialog.busy', { names: busy.join('、') }))
      onSaved()
    },
    close: onClose,
    // every error above the form, the field named in the sentence
    texts: { problem: errorText },
  })

  const start = branchPickerAt(1, 9)
  return (
    <FormDialog<Values>
      form={form}
      title={t('calendar.dialog.title')}
      okText={t('calendar.dialog.save')}
      saving={save.saving}
      initialValues={{ kind: 'meeting', startsAt: start, endsAt: start.add(1, 'hour'), participantIds: [] }}
      onFinish={save.submit}
      onCancel={onClose}
      testId="team-event-form"
    >
      {save.problem}
      <Form.Item name="kind" label={t('calendar.dialog.kind')}>
        <Select options={TeamEventKind.options.map((k) => ({ value: k, label: t(`calendar.eventKinds.${k}`) }))} />
      </Form.Item>
      <Form.Item name="title" label={t('calendar.dialog.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
        <Input maxLength={80} data-autofocus />
      </Form.Item>
      <Form.Item name="place" label={t('calendar.dialog.place')}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="startsAt" label={t('calendar.dialog.startsAt')} rules={[{ required: true, message: t('validation.required') }]}>
        <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} needConfirm={false} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="endsAt" label={t('calendar.dialog.endsAt')} rules={[{ required: true, message: t('validation.required') }]}>
        <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} needConfirm={false} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="participantIds" label={t('calendar.dialog.participants')} rules={[{ required: true, type: 'array', min: 1, message: t('validation.required') }]}>
        <Select mode="multiple" optionFilterProp="label" options={people.map((p) => ({ value: p.id, label: p.name }))} />
      </Form.Item>
    </FormDialog>
  )
}
