import { RollbackOutlined, SwapOutlined } from '@ant-design/icons'
import { Button, Space, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClientRow } from '@shared/contract/clients'
import { mayCall } from '@shared/domain/permissions'
import type { Role } from '@shared/domain/roles'
import { useMe } from '../../api/session-context'
import { HandBackModal, type HandBackAction } from './hand-back-modal'
import './collab.css'

/** Whether a role has any bulk action on the client grid (so the grid offers ticking rows). */
export function hasBulkActions(role: Role): boolean {
  return mayCall(role, 'pool.releaseMany') || mayCall(role, 'clients.reassign')
}

/**
 * The bar over the client grid while rows are ticked: how many, and what the role may do with
 * them at once (an agent hands theirs back to the pool, a manager moves them to an agent).
 */
export function BulkBar({ rows, onClear, onDone }: { rows: ClientRow[]; onClear(): void; onDone(): void }) {
  const { t } = useTranslation()
  const me = useMe()
  const [action, setAction] = useState<HandBackAction | null>(null)
  if (rows.length === 0) return null
  return (
    <div className="clients-bulk-bar" role="toolbar" aria-label={t('collab.handBack.selected', { count: rows.length })} data-testid="clients-bulk-bar">
      <Space wrap>
        <Typography.Text strong>{t('collab.handBack.selected', { count: rows.length })}</Typography.Text>
        {mayCall(me.role, 'pool.releaseMany') && (
          <Button danger icon={<RollbackOutlined />} onClick={() => setAction('release')}>
            {t('collab.handBack.release')}
          </Button>
        )}
        {mayCall(me.role, 'clients.reassign') && (
          <Button icon={<SwapOutlined />} onClick={() => setAction('reassign')}>
            {t('collab.handBack.reassign')}
          </Button>
        )}
        <Button type="link" onClick={onClear}>
          {t('collab.handBack.clear')}
        </Button>
      </Space>
      {action && (
        <HandBackModal
          action={action}
          clients={rows.map((r) => ({ id: r.id, name: r.name, ownerId: r.owner?.id ?? null }))}
          onClose={() => setAction(null)}
          onDone={onDone}
        />
      )}
    </div>
  )
}
