import { Alert, App, Form } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientProfile } from '@shared/contract/clients'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { clientErrorText, clientFieldLabel, putErrorOnField } from './client-errors'
import { ClientFormFields } from './client-form-fields'
import { changedFields, formValuesOf, phonesInput, profileInput, type ClientFormValues } from './client-form-values'
import { useRegions } from './region-tree'
import { editsToKeep, staleNotice, type StaleNotice } from './stale-edit'
import { Dialog } from '../../app/dialog'

/**
 * 编辑资料 with the version read: when someone saved in between, the host answers STALE_WRITE;
 * the form then loads the fresh client, shows who changed what, and keeps the user's other edits.
 */
export function EditClientModal({
  client,
  onClose,
  onSaved,
}: {
  client: ClientProfile
  onClose(): void
  onSaved(c: ClientProfile): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<ClientFormValues>()
  const [base, setBase] = useState(client)
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [stale, setStale] = useState<StaleNotice | null>(null)
  const regions = useRegions()
  const phonesEditable = base.phones.every((p) => !p.masked)

  async function reloadAfterStale(e: ApiErrorShape, mine: ClientFormValues) {
    const notice = staleNotice(t, e)
    setStale(notice)
    const r = await api.try('clients.get', { id: base.id })
    if (!r.ok) return setProblem(r.error)
    const fresh = r.value
    const keep = editsToKeep(base, mine, notice.fields)
    form.setFieldsValue({ ...formValuesOf(fresh), ...keep, ...(phonesEditable && !notice.fields.includes('phones') ? { phones: mine.phones } : {}) })
    setBase(fresh)
    onSaved(fresh)
  }

  async function submit(v: ClientFormValues) {
    const before = profileInput(formValuesOf(base))
    const after = profileInput({ ...v, kind: base.kind })
    const fields = changedFields(before, after)
    const patch: Record<string, unknown> = {}
    for (const k of fields) patch[k] = after[k]
    const phones = phonesEditable ? phonesInput(v) : null
    const phonesChanged = phones !== null && JSON.stringify(phones) !== JSON.stringify(phonesInput(formValuesOf(base)))
    if (fields.length === 0 && !phonesChanged) {
      void message.info(t('clients.form.noChanges'))
      onClose()
      return
    }
    setSaving(true)
    setProblem(null)
    const r = await api.try('clients.update', {
      id: base.id,
      version: base.version,
      ...patch,
      ...(phonesChanged && phones ? { phones } : {}),
    })
    setSaving(false)
    if (r.ok) {
      void message.success(t('clients.form.saved', { name: r.value.name }))
      onSaved(r.value)
      onClose()
      return
    }
    if (r.error.code === 'STALE_WRITE') return void reloadAfterStale(r.error, { ...v, kind: base.kind })
    setStale(null)
    if (!putErrorOnField(form, t, r.error)) setProblem(r.error)
  }

  return (
    <Dialog
      open
      title={t('clients.form.editTitle', { name: base.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving }}
      onCancel={onClose}
      destroyOnHidden
      width={920}
      style={{ top: 24 }}
      styles={{ body: { maxHeight: 'calc(100vh - 200px)', overflowY: 'auto', paddingRight: 8 } }}
      modalRender={(dom) => (
        <Form form={form} name="client-edit" layout="vertical" initialValues={formValuesOf(client)} onFinish={(v) => void submit(v)} autoComplete="off" scrollToFirstError>
          {dom}
        </Form>
      )}
    >
      {stale && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          data-testid="stale-notice"
          message={stale.by ? t('clients.form.staleTitle', { by: stale.by }) : t('clients.form.staleTitleAnon')}
          description={t('clients.form.staleText', { fields: stale.fields.map((f) => clientFieldLabel(t, f)).join(t('common.listSeparator')) })}
          style={{ marginBottom: 12 }}
        />
      )}
      {problem && <Alert type="error" showIcon role="alert" message={clientErrorText(t, problem)} style={{ marginBottom: 12 }} />}
      <ClientFormFields
        kind={base.kind}
        mode="edit"
        phonesEditable={phonesEditable}
        owner={{ kind: 'none' }}
        regions={regions}
        currentStage={base.stage}
      />
    </Dialog>
  )
}
