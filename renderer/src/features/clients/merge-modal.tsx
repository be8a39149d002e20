import { App, Form, Input, Radio, Select, Spin, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientProfile, SearchHit } from '@shared/contract/clients'
import { useApi } from '../../api/session-context'
import { CLIENT_SAVE_TEXTS } from './client-errors'
import { useClientSearch } from './use-client-search'
import { Dialog } from '../../app/dialog'
import { useFormSave } from '../../app/use-form-save'

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
  const [picked, setPicked] = useState<SearchHit | null>(null)
  const [typed, setTyped] = useState('')
  const search = useClientSearch(typed, { limit: 20, delayMs: 200 })
  // the other half of the merge: never this client itself
  const others = search.status === 'failed' ? [] : search.hits.filter((h) => h.id !== client.id)

  const named = (c: { id: number; name: string; code: string }) => ({ id: c.id, label: t('common.withAside', { text: c.name, aside: c.code }) })
  /** the record that stays and the one merged into it */
  const halves = (v: Values, other: SearchHit) => (v.keep === 'this' ? { keep: named(client), gone: named(other) } : { keep: named(other), gone: named(client) })

  const save = useFormSave(form, {
    save: async (v) => {
      const { keep, gone } = halves(v, picked!)
      const r = await api.try('clients.merge', { keepId: keep.id, mergeId: gone.id, reason: v.reason.trim() })
      // the form's one pick stands for both ids
      return r.ok || (r.error.field !== 'keepId' && r.error.field !== 'mergeId') ? r : { ok: false as const, error: { ...r.error, field: 'other' } }
    },
    saved: (kept) => {
      void message.success(t('clients.merge.done', { code: kept.code }))
      onMerged(kept)
    },
    close: onClose,
    texts: CLIENT_SAVE_TEXTS,
  })

  function confirm(v: Values) {
    if (!picked) return
    const { keep, gone } = halves(v, picked)
    modal.confirm({
      title: t('clients.merge.confirmTitle'),
      content: t('clients.merge.confirmText', { gone: gone.label, kept: keep.label }),
      okText: t('clients.merge.confirm'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => save.submit(v),
    })
  }

  return (
    <Dialog
      open
      title={t('clients.merge.title')}
      okText={t('clients.merge.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving, danger: true }}
      onCancel={save.cancel}
      destroyOnHidden
      width={600}
      modalRender={(dom) => (
        <Form form={form} layout="vertical" initialValues={{ keep: 'this' }} onFinish={confirm} autoComplete="off">
          {dom}
        </Form>
      )}
    >
      <Typography.Paragraph type="secondary">{t('clients.merge.hint')}</Typography.Paragraph>
      {save.problem}
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
