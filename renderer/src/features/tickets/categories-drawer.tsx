import { App, Button, Drawer, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_TICKET_HOURS, TICKET_KINDS, type TicketKind } from '@shared/domain/tickets'
import { useApi } from '../../api/session-context'
import { APP_SAVE_TEXTS, useFormSave } from '../../app/use-form-save'
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
  const [chosen, setChosen] = useState<Category | 'new' | null>(null)

  return (
    <Drawer open title={t('tickets.categories.title')} width={560} onClose={onClose} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('tickets.categories.hint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<number | 'new'>
          style={{ width: 320 }}
          aria-label={t('tickets.category')}
          value={chosen === null ? undefined : chosen === 'new' ? 'new' : chosen.id}
          onChange={(id) => setChosen(id === 'new' ? 'new' : categories.find((c) => c.id === id)!)}
          options={categories.map((c) => ({ value: c.id, label: `${categoryName(c, i18n.language)}${c.active ? '' : ' ✕'}` }))}
        />
        <Button onClick={() => setChosen('new')}>{t('tickets.categories.add')}</Button>
      </Space>
      {chosen !== null && (
        // a fresh form (and no old error line) for each category chosen
        <CategoryForm
          key={chosen === 'new' ? 'new' : chosen.id}
          chosen={chosen}
          onSaved={(c) => {
            setChosen(c)
            onSaved()
          }}
        />
      )}
    </Drawer>
  )
}

/** The form of one category: a new one, or an edit at the version read. */
function CategoryForm({ chosen, onSaved }: { chosen: Category | 'new'; onSaved(c: Category): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const save = useFormSave(form, {
    save: (v) => api.try('tickets.saveCategory', { ...v, ...(chosen === 'new' ? {} : { id: chosen.id, version: chosen.version }) }),
    saved: (c) => {
      void message.success(t('tickets.categories.saved'))
      onSaved(c)
    },
    texts: APP_SAVE_TEXTS,
  })
  const initial: Values =
    chosen === 'new'
      ? { kind: 'complaint', nameZh: '', nameEn: '', hours: { vip: 8, key: 24, normal: 48, potential: 48 }, active: true }
      : { kind: chosen.kind, nameZh: chosen.nameZh, nameEn: chosen.nameEn, hours: chosen.hours, active: chosen.active }

  return (
    <Form form={form} layout="vertical" initialValues={initial} onFinish={save.submit} autoComplete="off">
      {save.problem}
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
      <Button type="primary" htmlType="submit" loading={save.saving}>
        {t('tickets.categories.save')}
      </Button>
    </Form>
  )
}
