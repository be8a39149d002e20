import { Alert, App, Form } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientProfile } from '@shared/contract/clients'
import type { ApiErrorShape, Result } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { CLIENT_SAVE_TEXTS, clientErrorText, clientFieldLabel } from './client-errors'
import { ClientFormFields } from './client-form-fields'
import { changedFields, formValuesOf, phonesInput, profileInput, type ClientFormValues } from './client-form-values'
import { useRegions } from './region-tree'
import { editsToKeep, staleNotice, type StaleNotice } from './stale-edit'
import { Dialog } from '../../app/dialog'
import { useFormSave } from '../../app/use-form-save'

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
  // the fresh client could not be loaded after a STALE_WRITE
  const [reloadProblem, setReloadProblem] = useState<ApiErrorShape | null>(null)
  const [stale, setStale] = useState<StaleNotice | null>(null)
  const regions = useRegions()
  const phonesEditable = base.phones.every((p) => !p.masked)

  async function reloadAfterStale(e: ApiErrorShape, mine: ClientFormValues) {
    const notice = staleNotice(t, e)
    setStale(notice)
    const r = await api.try('clients.get', { id: base.id })
    if (!r.ok) return setReloadProblem(r.error)
    const fresh = r.value
    const keep = editsToKeep(base, mine, notice.fields)
    form.setFieldsValue({ ...formValuesOf(fresh), ...keep, ...(phonesEditable && !notice.fields.includes('phones') ? { phones: mine.phones } : {}) })
    setBase(fresh)
    onSaved(fresh)
  }

  /** sends what changed; null when nothing did (nothing is sent) */
  async function send(v: ClientFormValues): Promise<Result<ClientProfile | null>> {
    setReloadProblem(null)
    const before = profileInput(formValuesOf(base))
    const after = profileInput({ ...v, kind: base.kind })
    const fields = changedFields(before, after)
    const patch: Record<string, unknown> = {}
    for (const k of fields) patch[k] = after[k]
    const phones = phonesEditable ? phonesInput(v) : null
    const phonesChanged = phones !== null && JSON.stringify(phones) !== JSON.stringify(phonesInput(formValuesOf(base)))
    if (fields.length === 0 && !phonesChanged) return { ok: true, value: null }
    return api.try('clients.update', {
      id: base.id,
      version: base.version,
      ...patch,
      ...(phonesChanged && phones ? { phones } : {}),
    })
  }

  const save = useFormSave(form, {
    save: send,
    saved: (c) => {
      if (!c) return void message.info(t('clients.form.noChanges'))
      void message.success(t('clients.form.saved', { name: c.name }))
      onSaved(c)
    },
    // someone saved in between: the form shows the fresh client with the user's other edits kept
    refused: (e) => {
      if (e.code !== 'STALE_WRITE') {
        setStale(null)
        return false
      }
      void reloadAfterStale(e, { ...form.getFieldsValue(), kind: base.kind })
      return true
    },
    close: onClose,
    texts: CLIENT_SAVE_TEXTS,
  })

  return (
    <Dialog
      open
      title={t('clients.form.editTitle', { name: base.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving }}
      onCancel={save.cancel}
      destroyOnHidden
      width={920}
      style={{ top: 24 }}
      styles={{ body: { maxHeight: 'calc(100vh - 200px)', overflowY: 'auto', paddingRight: 8 } }}
      modalRender={(dom) => (
        <Form form={form} name="client-edit" layout="vertical" initialValues={formValuesOf(client)} onFinish={save.submit} autoComplete="off" scrollToFirstError>
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
      {save.problem}
      {reloadProblem && <Alert type="error" showIcon role="alert" message={clientErrorText(t, reloadProblem)} style={{ marginBottom: 12 }} />}
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
