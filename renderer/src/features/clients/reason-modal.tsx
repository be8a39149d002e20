import { Alert, Form, Input, Typography } from 'antd'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape, Result } from '@shared/contract/common'
import { clientErrorText, putErrorOnField } from './client-errors'
import { FormDialog } from '../../app/form-dialog'

/** The one field of a ReasonModal, named as the API names it so a field error lands under it. */
interface ReasonField {
  name: string
  label: string
  placeholder: string
  maxLength: number
  /** a three-line text area with a character count instead of a one-line input */
  multiline?: boolean
}

interface Props<T> {
  title: string
  okText: string
  hint: ReactNode
  field: ReasonField
  /** sends the trimmed reason; a failure is shown on the field, or above it */
  submit(reason: string): Promise<Result<T>>
  /** after a success (the modal then closes) */
  onDone(value: T): void
  onClose(): void
}

/** A dialog that asks why before it does something on a client (协作申请, 显示号码). */
export function ReasonModal<T>({ title, okText, hint, field, submit, onDone, onClose }: Props<T>) {
  const { t } = useTranslation()
  const [form] = Form.useForm<Record<string, string>>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  async function send(values: Record<string, string>) {
    setSaving(true)
    setProblem(null)
    const r = await submit((values[field.name] ?? '').trim())
    setSaving(false)
    if (r.ok) {
      onDone(r.value)
      onClose()
      return
    }
    if (!putErrorOnField(form, t, r.error)) setProblem(r.error)
  }

  return (
    <FormDialog form={form} title={title} okText={okText} saving={saving} onFinish={(v) => void send(v)} onCancel={onClose}>
      <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" message={clientErrorText(t, problem)} style={{ marginBottom: 16 }} />}
      <Form.Item name={field.name} label={field.label} rules={[{ required: true, whitespace: true, min: 2, message: t('clients.errors.reasonShort') }]}>
        {field.multiline ? (
          <Input.TextArea rows={3} maxLength={field.maxLength} showCount placeholder={field.placeholder} />
        ) : (
          <Input maxLength={field.maxLength} placeholder={field.placeholder} />
        )}
      </Form.Item>
    </FormDialog>
  )
}
