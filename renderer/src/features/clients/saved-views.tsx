import { DeleteOutlined, DownOutlined, SaveOutlined, StarOutlined } from '@ant-design/icons'
import { App, Button, Dropdown, Form, Input, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_VIEWS, type SavedView } from './client-list-model'
import { Dialog } from '../../app/dialog'

/** 我的视图: open a saved view, save the current one under a name, delete one (prefs key `clients.views`). */
export function SavedViews({
  views,
  current,
  onApply,
  onSave,
}: {
  views: SavedView[]
  /** the view, filters and sort on screen now, to save. */
  current(): Omit<SavedView, 'name'>
  onApply(v: SavedView): void
  onSave(views: SavedView[]): Promise<boolean>
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [saving, setSaving] = useState(false)
  const [form] = Form.useForm<{ name: string }>()
  const name = Form.useWatch('name', form) ?? ''
  const replaces = views.some((v) => v.name === name.trim())

  async function save({ name }: { name: string }) {
    const trimmed = name.trim()
    const others = views.filter((v) => v.name !== trimmed)
    if (others.length >= MAX_VIEWS) return void message.error(t('clients.views.tooMany', { max: MAX_VIEWS }))
    const ok = await onSave([...others, { name: trimmed, ...current() }])
    if (!ok) return
    void message.success(t('clients.views.saved_ok', { name: trimmed }))
    setSaving(false)
  }

  async function remove(v: SavedView) {
    if (await onSave(views.filter((x) => x.name !== v.name))) void message.success(t('clients.views.removed', { name: v.name }))
  }

  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            ...(views.length === 0
              ? [{ key: 'empty', disabled: true, label: t('clients.views.savedEmpty') }]
              : views.map((v, i) => ({ key: `v${i}`, icon: <StarOutlined />, label: v.name }))),
            { type: 'divider' as const },
            { key: 'save', icon: <SaveOutlined />, label: `${t('clients.views.saveAs')}…` },
            ...(views.length > 0
              ? [
                  {
                    key: 'delete',
                    icon: <DeleteOutlined />,
                    label: t('clients.views.delete'),
                    children: views.map((v, i) => ({ key: `d${i}`, danger: true, label: t('clients.views.remove', { name: v.name }) })),
                  },
                ]
              : []),
          ],
          onClick: ({ key }) => {
            if (key === 'save') {
              form.resetFields()
              setSaving(true)
              return
            }
            const v = views[Number(key.slice(1))]
            if (!v) return
            if (key.startsWith('v')) {
              onApply(v)
              void message.info(t('clients.views.applied', { name: v.name }))
            } else void remove(v)
          },
        }}
      >
        <Button icon={<StarOutlined />}>
          {t('clients.views.saved')} <DownOutlined style={{ fontSize: 10 }} />
        </Button>
      </Dropdown>
      <Dialog
        open={saving}
        title={t('clients.views.saveTitle')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onCancel={() => setSaving(false)}
        okButtonProps={{ htmlType: 'submit' }}
        destroyOnHidden
        modalRender={(dom) => (
          <Form form={form} layout="vertical" onFinish={(v) => void save(v)} autoComplete="off">
            {dom}
          </Form>
        )}
      >
        <Typography.Paragraph type="secondary">{t('clients.views.saveHint')}</Typography.Paragraph>
        <Form.Item
          name="name"
          label={t('clients.views.name')}
          rules={[{ required: true, whitespace: true, message: t('clients.errors.required', { field: t('clients.views.name') }) }]}
          extra={replaces ? t('clients.views.replace') : undefined}
        >
          <Input maxLength={30} placeholder={t('clients.views.namePlaceholder')} />
        </Form.Item>
      </Dialog>
    </>
  )
}
