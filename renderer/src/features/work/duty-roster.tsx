import { CopyOutlined, DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons'
import { Alert, App, AutoComplete, Button, DatePicker, Empty, Form, Select, Space, Table, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { WORK_SAVE_TEXTS, workErrorText } from './work-errors'
import { useFormSave } from '../../app/use-form-save'
import { branchNowPicker } from '../../app/branch-picker'

interface Entry {
  staffId: number
  staffName?: string
  region: string | null
  clientKind: 'person' | 'org' | null
}

interface Values {
  entries: Array<{ staffId?: number; region?: string | null; clientKind?: 'person' | 'org' | null }>
}

const ANY = '__any__'

/** 值班表: who is on duty on a day, with an optional region and client kind, for assigning new clients. */
export function DutyRoster({ editable }: { editable: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [day, setDay] = useState<Dayjs>(() => branchNowPicker().startOf('day'))
  const [entries, setEntries] = useState<Entry[] | null>(null)
  const [agents, setAgents] = useState<Array<{ value: number; label: string }>>([])
  const [regions, setRegions] = useState<string[]>([])
  // the day's roster, or the day before it, could not be loaded
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const dayText = day.format('YYYY-MM-DD')

  const load = useCallback(async () => {
    const r = await api.try('duty.get', { day: dayText })
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    setEntries(r.value.entries)
    form.setFieldsValue({ entries: r.value.entries.map((e) => ({ staffId: e.staffId, region: e.region, clientKind: e.clientKind })) })
  }, [api, dayText, form])

  useEffect(() => {
    void load()
  }, [load])

  useEffect(() => {
    if (!editable) return
    void api.try('staff.list', { active: true, limit: 500 }).then((r) => {
      if (r.ok) {
        setAgents(
          r.value.rows
            .filter((s) => s.role === 'agent' || s.role === 'senior_agent')
            .map((s) => ({ value: s.id, label: [s.name, t(`roles.${s.role}`), s.region].filter(Boolean).join(' · ') })),
        )
      }
    })
    void api.try('clients.regionTree', {}).then((r) => r.ok && setRegions(r.value.regions.map((x) => x.region)))
  }, [api, editable, t])

  async function copyPrevious() {
    const r = await api.try('duty.get', { day: day.subtract(1, 'day').format('YYYY-MM-DD') })
    if (!r.ok) return setProblem(r.error)
    form.setFieldsValue({ entries: r.value.entries.map((e) => ({ staffId: e.staffId, region: e.region, clientKind: e.clientKind })) })
  }

  const save = useFormSave(form, {
    save: (v) =>
      api.try('duty.set', {
        day: dayText,
        entries: (v.entries ?? [])
          .filter((e) => e.staffId !== undefined)
          .map((e) => ({ staffId: e.staffId as number, region: e.region?.trim() || null, clientKind: e.clientKind ?? null })),
      }),
    saved: () => {
      void message.success(t('work.settings.duty.saved', { day: dayText }))
      void load()
    },
    texts: WORK_SAVE_TEXTS,
  })

  const kindLabel = (k: Entry['clientKind']) => (k ? t(`clients.enums.kind.${k}`) : t('work.settings.duty.anyKind'))

  const picker = (
    <Space>
      <label htmlFor="duty-day">{t('work.settings.duty.day')}</label>
      <DatePicker id="duty-day" value={day} allowClear={false} onChange={(d) => d && setDay(d.startOf('day'))} />
    </Space>
  )

  if (!editable) {
    return (
      <div className="work-settings-section">
        <Alert type="info" showIcon message={t('work.settings.duty.readOnly')} />
        {picker}
        {problem && <Alert type="error" showIcon message={workErrorText(t, problem)} />}
        <Table<Entry>
          size="small"
          rowKey={(e) => `${e.staffId}-${e.region}-${e.clientKind}`}
          pagination={false}
          dataSource={entries ?? []}
          locale={{ emptyText: t('work.settings.duty.empty') }}
          columns={[
            { title: t('work.settings.duty.staff'), dataIndex: 'staffName' },
            { title: t('work.settings.duty.region'), dataIndex: 'region', render: (r: string | null) => r ?? t('work.settings.duty.anyRegion') },
            { title: t('work.settings.duty.kind'), dataIndex: 'clientKind', render: kindLabel },
          ]}
        />
      </div>
    )
  }

  return (
    <Form form={form} name="duty" layout="vertical" requiredMark={false} onFinish={save.submit} className="work-settings-section">
      <Typography.Text type="secondary">{t('work.settings.duty.hint')}</Typography.Text>
      {picker}
      {save.problem}
      {problem && <Alert type="error" showIcon message={workErrorText(t, problem)} role="alert" />}
      <Form.List name="entries">
        {(fields, { add, remove }) => (
          <div className="work-duty-list">
            {fields.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('work.settings.duty.empty')} />}
            {fields.map((f) => (
              <div key={f.key} className="work-duty-row">
                <Form.Item
                  name={[f.name, 'staffId']}
                  label={f.name === 0 ? t('work.settings.duty.staff') : undefined}
                  rules={[{ required: true, message: t('work.settings.duty.pickStaff') }]}
                >
                  <Select showSearch optionFilterProp="label" options={agents} placeholder={t('work.settings.duty.pickStaff')} aria-label={t('work.settings.duty.staff')} />
                </Form.Item>
                <Form.Item name={[f.name, 'region']} label={f.name === 0 ? t('work.settings.duty.region') : undefined}>
                  <AutoComplete
                    allowClear
                    options={regions.map((r) => ({ value: r }))}
                    placeholder={t('work.settings.duty.anyRegion')}
                    aria-label={t('work.settings.duty.region')}
                    filterOption={(input, o) => (o?.value ?? '').includes(input)}
                  />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'clientKind']}
                  label={f.name === 0 ? t('work.settings.duty.kind') : undefined}
                  getValueProps={(v: Entry['clientKind'] | undefined) => ({ value: v ?? ANY })}
                  normalize={(v: string) => (v === ANY ? null : v)}
                >
                  <Select
                    aria-label={t('work.settings.duty.kind')}
                    options={[
                      { value: ANY, label: t('work.settings.duty.anyKind') },
                      { value: 'person', label: t('clients.enums.kind.person') },
                      { value: 'org', label: t('clients.enums.kind.org') },
                    ]}
                  />
                </Form.Item>
                <Button
                  icon={<DeleteOutlined />}
                  aria-label={t('work.common.remove')}
                  title={t('work.common.remove')}
                  onClick={() => remove(f.name)}
                  style={{ marginTop: f.name === 0 ? 30 : 0 }}
                />
              </div>
            ))}
            <Space>
              <Button icon={<PlusOutlined />} onClick={() => add({ clientKind: null, region: null })}>
                {t('work.settings.duty.add')}
              </Button>
              <Button icon={<CopyOutlined />} onClick={() => void copyPrevious()}>
                {t('work.settings.duty.copyPrevious')}
              </Button>
              <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.saving}>
                {t('work.settings.duty.save')}
              </Button>
            </Space>
          </div>
        )}
      </Form.List>
    </Form>
  )
}
