import { Alert, App, Form, Input, Radio, Select, Spin, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientProfile, SearchHit } from '@shared/contract/clients'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { clientErrorText, putErrorOnField } from './client-errors'
import { useClientSearch } from './use-client-search'
import { Dialog } from '../../app/dialog'

interface Values {
  other: number
  keep: 'this' | 'other'
  reason: string
}

/** 合并客户 (managers): pick the other record, choose which one stays, give a reason, confirm. */
export function MergeModal({ client, onClose, onMerged }: { client: ClientProfile; onClose(): void; onMerged(kept: ClientProfile): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message, modal } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [picked, setPicked] = useState<SearchHit | null>(null)
  const [typed, setTyped] = useState('')
  const search = useClientSearch(typed, { limit: 20, delayMs: 200 })
  // the other half of the merge: never this client itself
  const others = search.status === 'failed' ? [] : search.hits.filter((h) => h.id !== client.id)

  function confirm(v: Values) {
    if (!picked) return
    const named = (c: { id: number; name: string; code: string }) => ({ id: c.id, label: t('common.withAside', { text: c.name, aside: c.code }) })
    const keep = named(v.keep === 'this' ? client : picked)
    const gone = named(v.keep === 'this' ? picked : client)
    modal.confirm({
      title: t('clients.merge.confirmTitle'),
      content: t('clients.merge.confirmText', { gone: gone.label, kept: keep.label }),
      okText: t('clients.merge.confirm'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        setSaving(true)
        setProblem(null)
        const r = await api.try('clients.merge', { keepId: keep.id, mergeId: gone.id, reason: v.reason.trim() })
        setSaving(false)
        if (r.ok) {
          void message.success(t('clients.merge.done', { code: r.value.code }))
          onMerged(r.value)
          onClose()
          return
        }
        const e = r.error.field === 'keepId' || r.error.field === 'mergeId' ? { ...r.error, field: 'other' } : r.error
        if (!putErrorOnField(form, t, e)) setProblem(r.error)
      },
    })
  }

  return (
    <Dialog
      open
      title={t('clients.merge.title')}
      okText={t('clients.merge.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving, danger: true }}
      onCancel={onClose}
      destroyOnHidden
      width={600}
      modalRender={(dom) => (
        <Form form={form} layout="vertical" initialValues={{ keep: 'this' }} onFinish={confirm} autoComplete="off">
          {dom}
        </Form>
      )}
    >
      <Typography.Paragraph type="secondary">{t('clients.merge.hint')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon role="alert" message={clientErrorText(t, problem)} style={{ marginBottom: 16 }} />}
      <Form.Item name="other" label={t('clients.merge.pick')} rules={[{ required: true, message: t('clients.merge.pickFirst') }]}>
        <Select
          showSearch
          filterOption={false}
          onSearch={setTyped}
          placeholder={t('clients.merge.pickPlaceholder')}
          notFoundContent={search.status === 'searching' ? <Spin size="small" /> : null}
          onChange={(id: number) => setPicked(others.find((h) => h.id === id) ?? null)}
          options={others.map((h) => ({
            value: h.id,
            label: `${t('common.withAside', { text: h.name, aside: h.code })}${h.phone ? ` ${h.phone}` : ''} · ${h.owner?.name ?? t('clients.search.noOwner')}`,
          }))}
        />
      </Form.Item>
      <Form.Item name="keep" label={t('clients.merge.keep')}>
        <Radio.Group>
          <Radio value="this">{t('clients.merge.keepThis', { code: client.code })}</Radio>
          <Radio value="other" disabled={!picked}>
            {t('clients.merge.keepOther', { code: picked?.code ?? '—' })}
          </Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="reason" label={t('clients.merge.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('clients.errors.reasonShort') }]}>
        <Input maxLength={200} placeholder={t('clients.merge.reasonPlaceholder')} />
      </Form.Item>
    </Dialog>
  )
}
