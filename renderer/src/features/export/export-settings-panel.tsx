import { Alert, App, Button, Form, InputNumber, Switch } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { ExportSettings } from '@shared/contract/export'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'
import { APP_SAVE_TEXTS, useFormSave } from '../../app/use-form-save'

/** 设置 › 导出 (managers and admins): the row cap of one export, and whether every export needs a reason. */
export function ExportSettingsPanel() {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<ExportSettings>()
  const [loaded, setLoaded] = useState(false)
  // the settings could not be loaded
  const [loadProblem, setLoadProblem] = useState<ApiErrorShape | null>(null)

  useEffect(() => {
    void api.try('export.getSettings', {}).then((r) => {
      if (r.ok) {
        form.setFieldsValue(r.value)
        setLoaded(true)
      } else setLoadProblem(r.error)
    })
  }, [api, form])

  const save = useFormSave(form, {
    save: (values) => api.try('export.setSettings', values),
    saved: (settings) => {
      form.setFieldsValue(settings)
      void message.success(t('exporting.settings.saved'))
    },
    texts: APP_SAVE_TEXTS,
  })

  return (
    <Form form={form} layout="vertical" style={{ maxWidth: 480 }} onFinish={save.submit} disabled={!loaded}>
      {save.problem}
      {loadProblem && <Alert type="error" showIcon role="alert" message={errorText(t, loadProblem)} style={{ marginBottom: 16 }} />}
      <Form.Item name="rowCap" label={t('exporting.settings.rowCap')} rules={[{ required: true }]}>
        <InputNumber min={1} max={1_000_000} step={1000} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="requireReason" label={t('exporting.settings.requireReason')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.saving}>
        {t('common.save')}
      </Button>
    </Form>
  )
}
