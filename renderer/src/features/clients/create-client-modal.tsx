import { Alert, App, Form, Segmented, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientProfile } from '@shared/contract/clients'
import { useApi, useMe } from '../../api/session-context'
import { navigate } from '../../app/use-hash-route'
import { CLIENT_SAVE_TEXTS, clientErrorText } from './client-errors'
import { CampaignField, campaignInput } from '../campaigns/campaign-field'
import { ClientFormFields, type OwnerField } from './client-form-fields'
import { phonesInput, profileInput, type ClientFormValues } from './client-form-values'
import { CollaborateModal } from './collaborate-modal'
import { DuplicateNotice } from './duplicate-notice'
import { useRegions } from './region-tree'
import { phoneDigitCount, useDuplicateCheck, type Duplicate } from './use-duplicate-check'
import { useOwnerOptions } from './use-owner-options'
import { Dialog } from '../../app/dialog'
import { useFormSave } from '../../app/use-form-save'

/**
 * 新增客户: a person or an organisation with phones (1–5). While the phone or org name is
 * typed, 防撞单 shows who already has it; a known client cannot be recorded twice, and
 * someone else's client is offered as 申请协作 instead.
 */
export function CreateClientModal({ onClose, onCreated }: { onClose(): void; onCreated(c: ClientProfile): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  const [form] = Form.useForm<ClientFormValues>()
  const [focusedPhone, setFocusedPhone] = useState<number | null>(null)
  const [asking, setAsking] = useState<Duplicate | null>(null)
  const regions = useRegions()
  const ownerOptions = useOwnerOptions()
  const kind = (Form.useWatch('kind', form) as ClientFormValues['kind'] | undefined) ?? 'person'
  const phones = Form.useWatch('phones', form) as ClientFormValues['phones']
  const name = Form.useWatch('name', form) as string | undefined
  const numbers = useMemo(() => (phones ?? []).map((p) => p?.number ?? ''), [phones])
  const dup = useDuplicateCheck(numbers, kind === 'org' ? name : undefined, true)

  const owner: OwnerField =
    me.role === 'manager' ? { kind: 'select', options: ownerOptions ?? [] } : me.role === 'front_desk' ? { kind: 'desk' } : { kind: 'auto' }
  const initial: ClientFormValues = {
    kind: 'person',
    phones: [{ number: '', label: '' }],
    tier: 'potential',
    stage: 'potential',
    entrustedOther: false,
    ...(me.role === 'front_desk' ? { sourceChannel: 'walk_in' as const } : {}),
  }

  const save = useFormSave(form, {
    save: (v) =>
      api.try('clients.create', {
        kind: v.kind,
        ...profileInput(v),
        phones: phonesInput(v),
        ...(owner.kind === 'select' && v.ownerId ? { ownerId: v.ownerId } : {}),
        ...campaignInput(form),
      }),
    saved: (c) => {
      void message.success(t('clients.form.created', { name: c.name, code: c.code }))
      onCreated(c)
    },
    close: onClose,
    texts: CLIENT_SAVE_TEXTS,
    // a long form: what is typed survives a reload or a lost connection (the phones, a list of pairs, are typed again)
    draft: 'clients.create',
  })

  const openMatch = (m: Duplicate) => {
    save.cancel()
    navigate(`/clients/${m.clientId}`)
  }
  const notice = (m: Duplicate) => <DuplicateNotice key={m.clientId} match={m} onOpen={() => openMatch(m)} onCollaborate={() => setAsking(m)} />
  const phoneNote = (i: number) => {
    const hits = dup.matches.filter((m) => m.matchedOn === 'phone' && m.phoneIndex === i)
    if (hits.length > 0) return hits.map(notice)
    if (dup.checking && i === (focusedPhone ?? 0)) {
      return (
        <Typography.Text type="secondary" className="client-phone-hint">
          {t('clients.dup.checking')}
        </Typography.Text>
      )
    }
    if (dup.error && i === (focusedPhone ?? 0)) {
      return (
        <Typography.Text type="warning" className="client-phone-hint" role="alert">
          {clientErrorText(t, dup.error)}
        </Typography.Text>
      )
    }
    const digits = phoneDigitCount(numbers[i] ?? '')
    if (dup.invalid.includes(i) && focusedPhone !== i && digits > 0) {
      return (
        <Typography.Text type="warning" className="client-phone-hint">
          {t('clients.dup.invalid')}
        </Typography.Text>
      )
    }
    return null
  }
  const orgHits = dup.matches.filter((m) => m.matchedOn === 'org_name')
  const blocked = dup.matches.length > 0

  return (
    <>
      <Dialog
        open
        title={t('clients.form.createTitle')}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        okButtonProps={{ htmlType: 'submit', loading: save.saving, disabled: blocked, title: blocked ? t('clients.dup.blocked') : undefined }}
        onCancel={save.cancel}
        destroyOnHidden
        width={920}
        style={{ top: 24 }}
        styles={{ body: { maxHeight: 'calc(100vh - 200px)', overflowY: 'auto', paddingRight: 8 } }}
        modalRender={(dom) => (
          <Form form={form} name="client" layout="vertical" initialValues={initial} onFinish={save.submit} autoComplete="off" scrollToFirstError>
            {dom}
          </Form>
        )}
      >
        {save.problem}
        {blocked && <Alert type="warning" showIcon message={t('clients.dup.blocked')} style={{ marginBottom: 12 }} />}
        <Form.Item name="kind" label={t('clients.fields.kind')} style={{ marginBottom: 0 }}>
          <Segmented
            options={[
              { value: 'person', label: t('clients.form.person') },
              { value: 'org', label: t('clients.form.org') },
            ]}
          />
        </Form.Item>
        <ClientFormFields
          kind={kind}
          mode="create"
          phonesEditable
          owner={owner}
          regions={regions}
          phoneNote={phoneNote}
          nameNote={orgHits.length > 0 ? orgHits.map(notice) : undefined}
          onPhoneFocus={setFocusedPhone}
          afterSource={<CampaignField form={form} channelField="sourceChannel" />}
        />
      </Dialog>
      {asking && (
        <CollaborateModal client={{ id: asking.clientId, name: asking.name, ownerName: asking.owner?.name ?? null }} onClose={() => setAsking(null)} />
      )}
    </>
  )
}
