import { Alert, App, Button, Drawer, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { MAX_TICKET_HOURS, TICKET_KINDS, type TicketKind } from '@shared/domain/tickets'
import { useApi } from '../../api/session-context'
import { showErrorOnField } from '../../app/form-errors'
import { errorText } from '../../i18n/error-text'
import { categoryName, type Category } from './use-ticket-categories'

const TIERS = ['vip', 'key', 'normal', 'potential'] as const

interface Values {
  kind: TicketKind
  nameZh: string
  nameEn: string
  hours: Record<(typeof TIERS)[number], number>
  active: boolean
}

/** The manager's editor of the taxonomy: pick a category (or a new one), edit its names, family, hours per tier. */
export function CategoriesDrawer({ categories, onClose, onSaved }: { categories: Category[]; onClose(): void; onSaved(): void }) {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [chosen, setChosen] = useState<Category | 'new' | null>(null)
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  function choose(c: Category | 'new') {
    setChosen(c)
    setProblem(null)
    form.setFieldsValue(
      c === 'new'
        ? { kind: 'complaint', nameZh: '', nameEn: '', hours: { vip: 8, key: 24, normal: 48, potential: 48 }, active: true }
        : { kind: c.kind, nameZh: c.nameZh, nameEn: c.nameEn, hours: c.hours, active: c.active },
    )
  }

  async function save(v: Values) {
    if (chosen === null) return
    setSaving(true)
    setProblem(null)
    const r = await api.try('tickets.saveCategory', { ...v, ...(chosen === 'new' ? {} : { id: chosen.id, version: chosen.version }) })
    setSaving(false)
    if (r.ok) {
      void message.success(t('tickets.categories.saved'))
      setChosen(r.value)
      onSaved()
      return
    }
    if (!showErrorOnField(form, t, r.error)) setProblem(r.error)
  }

  return (
    <Drawer open title={t('tickets.categories.title')} width={560} onClose={onClose} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('tickets.categories.hint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<number | 'new'>
          style={{ width: 320 }}
          aria-label={t('tickets.category')}
          value={chosen === null ? undefined : chosen === 'new' ? 'new' : chosen.id}
          onChange={(id) => choose(id === 'new' ? 'new' : categories.find((c) => c.id === id)!)}
          options={categories.map((c) => ({ value: c.id, label: `${categoryName(c, i18n.language)}${c.active ? '' : ' ✕'}` }))}
        />
        <Button onClick={() => choose('new')}>{t('tickets.categories.add')}</Button>
      </Space>
      {problem && <Alert type="error" showIcon role="alert" message={errorText(t, problem)} style={{ marginBottom: 16 }} />}
      {chosen !== null && (
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)} autoComplete="off">
          <Form.Item name="kind" label={t('tickets.categories.kind')}>
            <Select options={TICKET_KINDS.map((k) => ({ value: k, label: t(`tickets.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="nameZh" label={t('tickets.categories.nameZh')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('tickets.categories.nameEn')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={80} />
          </Form.Item>
          <Typography.Text strong>{t('tickets.categories.hours')}</Typography.Text>
          <Space wrap style={{ marginTop: 8 }}>
            {TIERS.map((tier) => (
              <Form.Item key={tier} name={['hours', tier]} label={t(`tickets.tiers.${tier}`)} rules={[{ required: true, message: t('validation.required') }]}>
                <InputNumber min={1} max={MAX_TICKET_HOURS} precision={0} />
              </Form.Item>
            ))}
          </Space>
          <Form.Item name="active" label={t('tickets.categories.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('tickets.categories.save')}
          </Button>
        </Form>
      )}
    </Drawer>
  )
}
