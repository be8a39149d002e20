import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'

const OWNER_ROLES = new Set(['agent', 'senior_agent', 'manager'])

/**
 * The active staff who can own clients, as select options ("陈经纪 · 一组 · 经纪人"); null for
 * roles that may not list staff (they neither filter by nor assign an owner).
 */
export function useOwnerOptions(): Array<{ value: number; label: string }> | null {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const allowed = mayCall(me.role, 'staff.list')
  const [options, setOptions] = useState<Array<{ value: number; label: string }> | null>(allowed ? [] : null)

  useEffect(() => {
    if (!allowed) return
    let live = true
    void api.try('staff.list', { active: true, limit: 500, sort: { field: 'name', dir: 'asc' } }).then((r) => {
      if (!live || !r.ok) return
      setOptions(
        r.value.rows
          .filter((s) => OWNER_ROLES.has(s.role))
          .map((s) => ({ value: s.id, label: [s.name, s.team, t(`roles.${s.role}`)].filter(Boolean).join(' · ') })),
      )
    })
    return () => {
      live = false
    }
  }, [api, allowed, t])

  return options
}
