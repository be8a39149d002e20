import { Alert, App, Form, Input, Select } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { StaffRow } from '@shared/contract/staff'
import { ROLES, type Role } from '@shared/domain/roles'
import { useApi, useMe } from '../../api/session-context'
import { strongPasswordRule } from '../../app/password-rules'
import { errorText } from '../../i18n/error-text'
import { textRule } from '../../app/text-rules'
import { Dialog } from '../../app/dialog'
import { APP_SAVE_TEXTS, useFormSave } from '../../app/use-form-save'

interface Values {
  username: string
  name: string
  role: Role
  team?: string
  region?: string
  phone?: string
  password: string
}

/** Which form: a new account, or an existing one at the version the grid showed. */
export type StaffFormTarget = { mode: 'create' } | { mode: 'edit'; row: StaffRow }

function orNull(s: string | undefined): string | null {
  const v = s?.trim() ?? ''
  return v === '' ? null : v
}

function toValues(row: StaffRow): Partial<Values> {
  return {
    username: row.username,
    name: row.name,
    role: row.role,
    team: row.team ?? '',
    region: row.region ?? '',
    phone: row.phone ?? '',
  }
}

/** Creates a staff account or edits one (optimistic: a stale write reloads and says so). */
export function StaffFormModal({
  target,
  onClose,
  onSaved,
}: {
  target: StaffFormTarget
  onClose(): void
  onSaved(row: StaffRow): void
}) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const [editing, setEditing] = useState<StaffRow | null>(target.mode === 'edit' ? target.row : null)
  // someone saved this account in between: said above the form, which shows the fresh row
  const [stale, setStale] = useState<ApiErrorShape | null>(null)
  const creating = target.mode === 'create'

  useEffect(() => {
    form.setFieldsValue(editing ? toValues(editing) : { role: 'agent' })
  }, [form, editing])

  async function reload(row: StaffRow) {
    const r = await api.try('staff.get', { id: row.id })
    if (r.ok) {
      setEditing(r.value)
      onSaved(r.value)
    }
  }

  const save = useFormSave(form, {
    save: (v) => {
      setStale(null)
      const common = { name: v.name, role: v.role, team: orNull(v.team), region: orNull(v.region), phone: orNull(v.phone) }
      return editing
        ? api.try('staff.update', { id: editing.id, version: editing.version, ...common })
        : api.try('staff.create', { ...common, username: v.username.trim(), password: v.password })
    },
    saved: (row) => {
      void message.success(t(editing ? 'staff.updated' : 'staff.created', { name: row.name }))
      onSaved(row)
    },
    refused: (e) => {
      if (e.code !== 'STALE_WRITE' || !editing) return false
      setStale(e)
      void reload(editing)
      return true
    },
    close: onClose,
    texts: APP_SAVE_TEXTS,
  })

  const enter = (field: 'fields.username' | 'fields.name' | 'fields.initialPassword') => [
    { required: true, whitespace: true, message: t('validation.please_enter', { field: t(field) }) },
  ]
  const chooseRole = [{ required: true, message: t('validation.please_choose', { field: t('fields.role') }) }]

  return (
    <Dialog
      open
      title={editing ? t('staff.editTitle', { name: editing.name }) : t('staff.createTitle')}
      okText={creating ? t('common.create') : t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: save.saving }}
      onCancel={save.cancel}
      destroyOnHidden
      width={560}
      modalRender={(dom) => (
        <Form form={form} name="staff" layout="vertical" onFinish={save.submit} autoComplete="off">
          {dom}
        </Form>
      )}
    >
      {save.problem}
      {stale && <Alert type="warning" showIcon message={errorText(t, stale)} style={{ marginBottom: 16 }} role="alert" />}
      <div className="staff-form-grid">
        <Form.Item
          name="username"
          label={t('fields.username')}
          extra={creating ? t('staff.usernameHint') : undefined}
          rules={creating ? enter('fields.username') : []}
        >
          <Input disabled={!creating} autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={t('fields.name')} rules={[...enter('fields.name'), textRule(t, 'name')]}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t('fields.role')} rules={chooseRole}>
          <Select
            disabled={editing?.id === me.id}
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          />
        </Form.Item>
        <Form.Item name="phone" label={t('fields.phone')}>
          <Input placeholder={t('staff.optional')} inputMode="tel" />
        </Form.Item>
        <Form.Item name="team" label={t('fields.team')} rules={[textRule(t, 'line')]}>
          <Input placeholder={t('staff.optional')} />
        </Form.Item>
        <Form.Item name="region" label={t('fields.region')} rules={[textRule(t, 'line')]}>
          <Input placeholder={t('staff.optional')} />
        </Form.Item>
        {creating && (
          <Form.Item
            name="password"
            label={t('fields.initialPassword')}
            extra={t('staff.passwordHint')}
            rules={[
              ...enter('fields.initialPassword'),
              strongPasswordRule(t, 'password', (get) => ({ username: get('username'), name: get('name') })),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </div>
    </Dialog>
  )
}
