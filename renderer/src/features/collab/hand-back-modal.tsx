import { App, Form, Input, Select, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import type { Result } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { FormDialog } from '../../app/form-dialog'
import { useFormSave } from '../../app/use-form-save'
import { CLIENT_SAVE_TEXTS } from '../clients/client-errors'
import { useOwnerOptions } from '../clients/use-owner-options'

/** A client as the hand-back and reassign dialogs act on it: who it is and whose it was on screen. */
export interface HandBackTarget {
  id: number
  name: string
  /** the owner the screen showed (null: the pool), so a client that moved meanwhile is refused */
  ownerId: number | null
}

/**
 * What the dialog does: hand the caller's clients back to the pool (退回公客池), move clients to
 * another agent (移交, managers), or give a pool client an owner (分配: a manager picks or leaves
 * it to the rota; the desk always uses the rota).
 */
export type HandBackAction = 'release' | 'reassign' | 'assign' | 'assignByRota'

interface Values {
  toStaffId?: number
  reason: string
}

/** The dialog of 退回公客池 / 移交 / 分配 for one client (from the profile) or several (the grid's selection). */
export function HandBackModal({ action, clients, onClose, onDone }: { action: HandBackAction; clients: HandBackTarget[]; onClose(): void; onDone(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const owners = useOwnerOptions()
  const one = clients.length === 1 ? clients[0]! : null
  const picksAgent = action === 'reassign' || action === 'assign'

  const title =
    action === 'release'
      ? one ? t('collab.handBack.releaseTitle', { name: one.name }) : t('collab.handBack.releaseManyTitle', { count: clients.length })
      : action === 'reassign'
        ? one ? t('collab.handBack.reassignTitle', { name: one.name }) : t('collab.handBack.reassignManyTitle', { count: clients.length })
        : t('collab.handBack.assignTitle', { name: one?.name ?? '' })
  const hint = {
    release: t('collab.handBack.releaseHint'),
    reassign: t('collab.handBack.reassignHint'),
    assign: t('collab.handBack.assignHint'),
    assignByRota: t('collab.handBack.assignDeskHint'),
  }[action]
  const okText = action === 'release' ? t('collab.handBack.releaseOk') : action === 'reassign' ? t('collab.handBack.reassignOk') : t('collab.handBack.assignOk')
  const agentName = (id: number | undefined) => owners?.find((o) => o.value === id)?.label.split(' · ')[0] ?? ''

  /** sends the action; its value is the "done" line */
  async function call(v: Values): Promise<Result<string>> {
    const reason = v.reason.trim()
    const ids = clients.map((c) => c.id)
    if (action === 'release') {
      const r = one ? await api.try('pool.release', { clientId: one.id, reason }) : await api.try('pool.releaseMany', { clientIds: ids, reason })
      if (!r.ok) return r
      return { ok: true, value: one ? t('collab.handBack.released', { name: one.name }) : t('collab.handBack.releasedMany', { count: ids.length }) }
    }
    if (action === 'reassign') {
      const r = await api.try('clients.reassign', { clientIds: ids, toStaffId: v.toStaffId ?? 0, reason, expectOwnerIds: clients.map((c) => c.ownerId) })
      if (!r.ok) return r
      return { ok: true, value: t('collab.handBack.moved', { count: r.value.moved, name: agentName(v.toStaffId) }) }
    }
    const r = await api.try('clients.assign', { clientId: one?.id ?? 0, reason, ...(v.toStaffId === undefined ? {} : { staffId: v.toStaffId }) })
    if (!r.ok) return r
    return { ok: true, value: t('collab.handBack.assigned', { name: r.value.name, owner: r.value.owner?.name ?? '' }) }
  }

  // an error on clientIds.N names a client of the selection, no field: shown above the form, by name
  const save = useFormSave(form, {
    save: call,
    saved: (text) => {
      void message.success(text)
      onDone()
    },
    close: onClose,
    texts: CLIENT_SAVE_TEXTS,
  })

  return (
    <FormDialog
      form={form}
      title={title}
      okText={okText}
      saving={save.saving}
      danger={action === 'release'}
      onFinish={save.submit}
      onCancel={onClose}
      testId="hand-back-form"
    >
      <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
      {save.problem}
      {picksAgent && (
        <Form.Item
          name="toStaffId"
          label={t('collab.handBack.to')}
          rules={action === 'reassign' ? [{ required: true, message: t('collab.handBack.toPlaceholder') }] : []}
        >
          <Select
            showSearch
            allowClear={action === 'assign'}
            optionFilterProp="label"
            options={(owners ?? []).filter((o) => !one || one.ownerId !== o.value)}
            placeholder={action === 'assign' ? t('collab.handBack.toRota') : t('collab.handBack.toPlaceholder')}
            data-testid="hand-back-to"
          />
        </Form.Item>
      )}
      <Form.Item name="reason" label={t('collab.handBack.reason')} rules={[{ required: true, whitespace: true, min: 2, message: t('clients.errors.reasonShort') }]}>
        <Input maxLength={200} placeholder={t('collab.handBack.reasonPlaceholder')} />
      </Form.Item>
    </FormDialog>
  )
}
