import { Alert, App, Button, Form, InputNumber, Spin, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { KPI_IDS, KpiTargetsSchema, type KpiTargets } from '@shared/domain/kpi'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'

/** 设置 › 指标目标: the six KPI targets, editable by those who may set them. */
export function KpiTargetsForm({ editable }: { editable: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<KpiTargets>()
  const [loaded, setLoaded] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    void api.try('reports.kpiTargets', {}).then((r) => {
      if (!r.ok) return setProblem(r.error)
      form.setFieldsValue(r.value)
      setLoaded(true)
    })
  }, [api, form])

  const save = async (values: KpiTargets) => {
    setSaving(true)
    const r = await api.try('reports.setKpiTargets', values)
    setSaving(false)
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    form.setFieldsValue(r.value)
    void message.success(t('reports.targets.saved'))
  }

  if (!loaded && !problem) return <Spin />
  return (
    <Form form={form} layout="horizontal" labelCol={{ flex: '160px' }} onFinish={(v) => void save(v)} disabled={!editable} className="reports-targets">
      <Typography.Paragraph type="secondary">{t('reports.targets.hint')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon message={errorText(t, problem)} />}
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
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('reports.targets.save')}
        </Button>
      )}
    </Form>
  )
}
