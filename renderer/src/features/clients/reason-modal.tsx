import { Form, Input, Typography } from 'antd'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Result } from '@shared/contract/common'
import { CLIENT_SAVE_TEXTS } from './client-errors'
import { FormDialog } from '../../app/form-dialog'
import { useFormSave } from '../../app/use-form-save'

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
  const save = useFormSave(form, { save: (values) => submit((values[field.name] ?? '').trim()), saved: onDone, close: onClose, texts: CLIENT_SAVE_TEXTS })

  return (
    <FormDialog form={form} title={title} okText={okText} saving={save.saving} onFinish={save.submit} onCancel={onClose}>
      <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
      {save.problem}
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
