import { EditOutlined, LockOutlined, LogoutOutlined, PlusOutlined, StopOutlined, UndoOutlined, UnlockOutlined } from '@ant-design/icons'
import type { GridApi } from 'ag-grid-community'
import { App, Button, Space, Typography } from 'antd'
import { useCallback, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { StaffRow } from '@shared/contract/staff'
import { mayCall } from '@shared/domain/permissions'
import { outranks } from '@shared/domain/roles'
import { useApi, useMe, useSession } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'
import { DepartModal } from '../work/depart-modal'
import { DeactivateModal } from './deactivate-modal'
import { ResetPasswordModal } from './reset-password-modal'
import { staffDatasource, type StaffFilter } from './staff-datasource'
import { StaffFormModal, type StaffFormTarget } from './staff-form-modal'
import { StaffGrid } from './staff-grid'
import { StaffFilters } from './staff-filters'
import './staff-page.css'

type Dialog =
  | { kind: 'form'; target: StaffFormTarget }
  | { kind: 'deactivate'; row: StaffRow }
  | { kind: 'reset'; row: StaffRow }
  | { kind: 'depart'; row: StaffRow }
  | null

/** 员工管理: the staff list with search and filters; admins create, edit, deactivate, reset passwords and lift sign-in locks. */
export function StaffPage() {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { refreshMe } = useSession()
  const { message } = App.useApp()
  const [grid, setGrid] = useState<GridApi<StaffRow> | null>(null)
  const [filter, setFilter] = useState<StaffFilter>({})
  const [total, setTotal] = useState<number | null>(null)
  const [selected, setSelected] = useState<StaffRow | null>(null)
  const [dialog, setDialog] = useState<Dialog>(null)

  const may = {
    create: mayCall(me.role, 'staff.create'),
    update: mayCall(me.role, 'staff.update'),
    deactivate: mayCall(me.role, 'staff.deactivate'),
    reactivate: mayCall(me.role, 'staff.reactivate'),
    reset: mayCall(me.role, 'staff.resetPassword'),
    unlock: mayCall(me.role, 'staff.unlockSignIn'),
    depart: mayCall(me.role, 'staff.depart'),
  }

  const datasource = useMemo(
    () =>
      staffDatasource(api, filter, {
        onTotal: setTotal,
        onError: (e) => void message.error(errorText(t, e)),
      }),
    [api, filter, message, t],
  )

  // the filter bar reports its (empty) filter once after mount: that report must not drop a row
  // the user has already selected, or the toolbar greys out while the grid still shows the row
  // selected, and clicking it again changes nothing (seen in CI under load)
  const filterKey = useRef(JSON.stringify(filter))
  const onFilter = useCallback((f: StaffFilter) => {
    const key = JSON.stringify(f)
    if (key === filterKey.current) return
    filterKey.current = key
    setFilter(f)
    setSelected(null)
  }, [])

  const changed = useCallback(
    (row: StaffRow) => {
      grid?.refreshInfiniteCache()
      setSelected((s) => (s?.id === row.id ? row : s))
      if (row.id === me.id) void refreshMe()
    },
    [grid, me.id, refreshMe],
  )

  async function reactivate(row: StaffRow) {
    const r = await api.try('staff.reactivate', { id: row.id })
    if (!r.ok) return void message.error(errorText(t, r.error))
    void message.success(t('staff.reactivated', { name: row.name }))
    changed(r.value)
  }

  async function unlockSignIn(row: StaffRow) {
    const r = await api.try('staff.unlockSignIn', { id: row.id })
    if (!r.ok) return void message.error(errorText(t, r.error))
    void message.success(t(r.value.wasLocked ? 'staff.unlocked' : 'staff.notLocked', { name: row.name }))
  }

  const open = (row: StaffRow) => may.update && setDialog({ kind: 'form', target: { mode: 'edit', row } })
  const create = () => setDialog({ kind: 'form', target: { mode: 'create' } })
  const deactivate = () => selected && setDialog({ kind: 'deactivate', row: selected })
  const reset = () => selected && setDialog({ kind: 'reset', row: selected })

  return (
    <div className="staff-page">
      <div className="staff-toolbar">
        <StaffFilters onChange={onFilter} onRefresh={() => grid?.refreshInfiniteCache()} />
        <Space wrap>
          {total !== null && <Typography.Text type="secondary">{t('staff.total', { count: total })}</Typography.Text>}
          {may.create && (
            <Button type="primary" icon={<PlusOutlined />} onClick={create}>
              {t('staff.create')}
            </Button>
          )}
          {may.update && (
            <Button icon={<EditOutlined />} disabled={!selected} onClick={() => selected && open(selected)}>
              {t('staff.edit')}
            </Button>
          )}
          {may.deactivate && (!selected || selected.active) && (
            <Button danger icon={<StopOutlined />} disabled={!selected || selected.id === me.id} onClick={deactivate}>
              {t('staff.deactivate')}
            </Button>
          )}
          {may.depart && (!selected || selected.active) && (
            <Button
              danger
              icon={<LogoutOutlined />}
              // a manager departs staff below managers; managers and admins leave through an admin
              disabled={!selected || selected.id === me.id || (me.role !== 'admin' && !outranks(me.role, selected.role))}
              onClick={() => selected && setDialog({ kind: 'depart', row: selected })}
            >
              {t('work.depart.button')}
            </Button>
          )}
          {may.reactivate && selected && !selected.active && (
            <Button icon={<UndoOutlined />} onClick={() => void reactivate(selected)}>
              {t('staff.reactivate')}
            </Button>
          )}
          {may.reset && (
            <Button icon={<LockOutlined />} disabled={!selected} onClick={reset}>
              {t('staff.resetPassword')}
            </Button>
          )}
          {may.unlock && (
            <Button icon={<UnlockOutlined />} disabled={!selected} onClick={() => selected && void unlockSignIn(selected)}>
              {t('staff.unlockSignIn')}
            </Button>
          )}
        </Space>
      </div>
      <StaffGrid datasource={datasource} onReady={setGrid} onSelect={setSelected} onOpen={open} />
      {dialog?.kind === 'form' && <StaffFormModal target={dialog.target} onClose={() => setDialog(null)} onSaved={changed} />}
      {dialog?.kind === 'deactivate' && <DeactivateModal row={dialog.row} onClose={() => setDialog(null)} onDone={changed} />}
      {dialog?.kind === 'reset' && <ResetPasswordModal row={dialog.row} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'depart' && (
        <DepartModal staff={dialog.row} onClose={() => setDialog(null)} onDone={() => grid?.refreshInfiniteCache()} />
      )}
    </div>
  )
}
