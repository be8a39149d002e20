import { Alert, App, Button, Form, InputNumber, Spin, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { KPI_IDS, KpiTargetsSchema, type KpiTargets } from '@shared/domain/kpi'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'
import { APP_SAVE_TEXTS, useFormSave } from '../../app/use-form-save'

/** 设置 › 指标目标: the six KPI targets, editable by those who may set them. */
export function KpiTargetsForm({ editable }: { editable: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<KpiTargets>()
  const [loaded, setLoaded] = useState(false)
  // the targets could not be loaded
  const [loadProblem, setLoadProblem] = useState<ApiErrorShape | null>(null)

  useEffect(() => {
    void api.try('reports.kpiTargets', {}).then((r) => {
      if (!r.ok) return setLoadProblem(r.error)
      form.setFieldsValue(r.value)
      setLoaded(true)
    })
  }, [api, form])

  const save = useFormSave(form, {
    save: (values) => api.try('reports.setKpiTargets', values),
    saved: (targets) => {
      form.setFieldsValue(targets)
      void message.success(t('reports.targets.saved'))
    },
    texts: APP_SAVE_TEXTS,
  })

  if (!loaded && !loadProblem) return <Spin />
  return (
    <Form form={form} layout="horizontal" labelCol={{ flex: '160px' }} onFinish={save.submit} disabled={!editable} className="reports-targets">
      <Typography.Paragraph type="secondary">{t('reports.targets.hint')}</Typography.Paragraph>
      {save.problem}
      {loadProblem && <Alert type="error" showIcon message={errorText(t, loadProblem)} />}
      {KPI_IDS.map((id) => {
        const hours = id === 'responseHours'
        const shape = KpiTargetsSchema.shape[id]
        return (
          <Form.Item key={id} name={id} label={t(`reports.kpi.${id}`)} rules={[{ required: true, message: t('validation.required') }]}>
            <InputNumber min={shape.minValue ?? 0} max={shape.maxValue ?? 100} step={hours ? 0.5 : 1} addonAfter={hours ? t('reports.targets.hoursUnit') : t('reports.targets.percentUnit')} />
          </Form.Item>
        )
      })}
      {editable && (
        <Button type="primary" htmlType="submit" loading={save.saving}>
          {t('reports.targets.save')}
        </Button>
      )}
    </Form>
  )
}
