import { Form, type FormInstance } from 'antd'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Dialog } from './dialog'

interface Props<Values> {
  form: FormInstance<Values>
  title: ReactNode
  okText: string
  /** 取消 unless said */
  cancelText?: string
  /** the submit button spins and Enter does nothing while a save is on its way */
  saving: boolean
  /** a submit that takes something away (退回公客池, 拒绝) is red */
  danger?: boolean
  initialValues?: Partial<Values>
  onFinish(values: Values): void
  onCancel(): void
  /** the form's data-testid, for the browser tests */
  testId?: string
  children: ReactNode
}

/**
 * A dialog that is one form: the shared Dialog (first field focused as it opens, Enter submits, Esc
 * closes the innermost layer) around an antd Form that holds the body and the footer, so the 确定
 * button is the form's submit and the form's rules run before anything is sent.
 */
export function FormDialog<Values>({ form, title, okText, cancelText, saving, danger, initialValues, onFinish, onCancel, testId, children }: Props<Values>) {
  const { t } = useTranslation()
  return (
    <Dialog
      open
      title={title}
      okText={okText}
      cancelText={cancelText ?? t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving, danger }}
      onCancel={onCancel}
      destroyOnHidden
      modalRender={(dom) => (
        <Form form={form} layout="vertical" initialValues={initialValues} onFinish={onFinish} autoComplete="off" data-testid={testId}>
          {dom}
        </Form>
      )}
    >
      {children}
    </Dialog>
  )
}
