import { App, DatePicker, Form, Input, InputNumber, Space } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import type { DealCase } from '@shared/contract/cases'
import type { Result } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { FormDialog } from '../../app/form-dialog'
import { APP_SAVE_TEXTS, useFormSave } from '../../app/use-form-save'
import { orNull } from '../clients/client-format'

interface Values {
  project: string
  community?: string
  district?: string
  layout?: string
  /** m² */
  area: number | null
  floor?: number | null
  /** 万元 */
  price: number | null
  signedOn: Dayjs | null
  terms?: string
  note?: string
}

/** The fields a case holds as the host takes them: m² and 万元 counted in 0.01 m² and fen, empty text left out. */
function inputOf(v: Values) {
  const text = (s: string | undefined) => orNull(s) ?? undefined
  return {
    project: v.project.trim(),
    community: text(v.community),
    district: text(v.district),
    layout: text(v.layout),
    area: Math.round((v.area ?? 0) * 100),
    floor: v.floor ?? undefined,
    price: Math.round((v.price ?? 0) * 1_000_000),
    signedOn: v.signedOn?.format('YYYY-MM-DD') ?? '',
    terms: text(v.terms),
    note: text(v.note),
  }
}

/** 录入案例 / 修改案例: a deal case typed by hand (a new one, or `editing`), no party asked for. */
export function CaseEntryModal({ editing, onClose, onDone }: { editing: DealCase | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()

  async function call(v: Values): Promise<Result<DealCase>> {
    const input = inputOf(v)
    const r = editing ? await api.try('cases.edit', { ...input, id: editing.id, version: editing.version ?? 0 }) : await api.try('cases.enter', input)
    return r.ok ? { ok: true, value: r.value.case } : r
  }

  const save = useFormSave(form, {
    save: call,
    saved: (c) => {
      void message.success(t(editing ? 'cases.entry.edited' : 'cases.entry.entered', { project: c.project }))
      onDone()
    },
    close: onClose,
    texts: APP_SAVE_TEXTS,
    ...(editing ? {} : { draft: 'cases.enter' }),
  })

  const initialValues: Partial<Values> | undefined = editing
    ? {
        project: editing.project,
        community: editing.community ?? undefined,
        district: editing.district ?? undefined,
        layout: editing.layout ?? undefined,
        area: editing.area / 100,
        floor: editing.floor,
        price: editing.price / 1_000_000,
        signedOn: dayjs(editing.signedOn),
        terms: editing.terms ?? undefined,
        note: editing.note ?? undefined,
      }
    : undefined

  return (
    <FormDialog
      form={form}
      title={editing ? t('cases.entry.editTitle') : t('cases.entry.title')}
      okText={t('cases.entry.save')}
      saving={save.saving}
      initialValues={initialValues}
      onFinish={save.submit}
      onCancel={save.cancel}
      testId="case-entry-form"
    >
      {save.problem}
      <Form.Item name="project" label={t('cases.entry.project')} rules={[{ required: true, whitespace: true, message: t('cases.entry.projectRequired') }]}>
        <Input maxLength={60} />
      </Form.Item>
      <Space wrap>
        <Form.Item name="community" label={t('cases.entry.community')}>
          <Input maxLength={60} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="district" label={t('cases.entry.district')}>
          <Input maxLength={20} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="layout" label={t('cases.layout')}>
          <Input maxLength={20} placeholder={t('cases.entry.layoutPlaceholder')} style={{ width: 120 }} />
        </Form.Item>
      </Space>
      <Space wrap>
        <Form.Item name="area" label={t('cases.area')} rules={[{ required: true, message: t('cases.entry.areaRequired') }]}>
          <InputNumber min={0.01} max={100_000} step={1} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="price" label={t('cases.price')} rules={[{ required: true, message: t('cases.entry.priceRequired') }]}>
          <InputNumber min={0.01} max={1_000_000} step={1} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="floor" label={t('cases.columns.floor')}>
          <InputNumber min={-10} max={200} precision={0} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item name="signedOn" label={t('cases.signedOn')} rules={[{ required: true, message: t('cases.entry.signedOnRequired') }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
      </Space>
      <Form.Item name="terms" label={t('cases.entry.terms')}>
        <Input maxLength={200} placeholder={t('cases.entry.termsPlaceholder')} />
      </Form.Item>
      <Form.Item name="note" label={t('cases.entry.note')} extra={t('cases.entry.noParties')}>
        <Input.TextArea maxLength={500} rows={2} />
      </Form.Item>
    </FormDialog>
  )
}
