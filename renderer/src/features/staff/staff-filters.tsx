import { ReloadOutlined, SearchOutlined } from '@ant-design/icons'
import { Button, Input, Select, Space } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ROLES, type Role } from '@shared/domain/roles'
import type { StaffFilter } from './staff-datasource'

type Status = 'all' | 'active' | 'inactive'

/** Search box and role/status filters of the staff page; typing filters after a short pause. */
export function StaffFilters({ onChange, onRefresh }: { onChange(f: StaffFilter): void; onRefresh(): void }) {
  const { t } = useTranslation()
  const [q, setQ] = useState('')
  const [role, setRole] = useState<Role | undefined>(undefined)
  const [status, setStatus] = useState<Status>('all')

  useEffect(() => {
    const timer = setTimeout(() => {
      const text = q.trim()
      onChange({
        ...(text ? { q: text } : {}),
        ...(role ? { role } : {}),
        ...(status === 'all' ? {} : { active: status === 'active' }),
      })
    }, 250)
    return () => clearTimeout(timer)
  }, [q, role, status, onChange])

  return (
    <Space wrap>
      <Input
        aria-label={t('staff.search')}
        placeholder={t('staff.search')}
        prefix={<SearchOutlined />}
        allowClear
        value={q}
        maxLength={40}
        onChange={(e) => setQ(e.target.value)}
        style={{ width: 220 }}
      />
      <Select<Role>
        aria-label={t('fields.role')}
        placeholder={t('staff.allRoles')}
        allowClear
        value={role}
        onChange={(v) => setRole(v)}
        style={{ width: 140 }}
        options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
      />
      <Select<Status>
        aria-label={t('fields.active')}
        value={status}
        onChange={setStatus}
        style={{ width: 120 }}
        options={[
          { value: 'all', label: t('staff.allStatus') },
          { value: 'active', label: t('staff.statusActive') },
          { value: 'inactive', label: t('staff.statusInactive') },
        ]}
      />
      <Button icon={<ReloadOutlined />} onClick={onRefresh}>
        {t('staff.refresh')}
      </Button>
    </Space>
  )
}
