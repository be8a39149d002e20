import { EditOutlined, HistoryOutlined, PlusOutlined, PoweroffOutlined } from '@ant-design/icons'
import { Alert, App, Button, Empty, List, Space, Spin, Switch, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { Requirement } from '@shared/contract/needs'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { formatBranchTime } from '@shared/domain/branch-time'
import { clientErrorText } from './client-errors'
import { NeedFormModal } from './need-form-modal'
import { NeedHistoryModal } from './need-history-modal'
import { needSummary } from './need-values'
import { MortgageLink } from '../mortgage/mortgage-link'

type Need = z.infer<typeof Requirement>

/** 购房需求 tab: the client's requirements with add, edit, deactivate and history. */
export function NeedsTab({
  clientId,
  canEdit,
  regionOptions,
  onChanged,
}: {
  clientId: number
  canEdit: boolean
  regionOptions: string[]
  /** a requirement was added or changed (completeness may have moved). */
  onChanged(): void
}) {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const { message } = App.useApp()
  const [needs, setNeeds] = useState<Need[] | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [inactive, setInactive] = useState(false)
  const [editing, setEditing] = useState<Need | 'new' | null>(null)
  const [history, setHistory] = useState<Need | null>(null)

  const load = useCallback(async () => {
    const r = await api.try('needs.list', { clientId, includeInactive: inactive })
    if (r.ok) {
      setNeeds(r.value.needs)
      setProblem(null)
    } else setProblem(r.error)
  }, [api, clientId, inactive])

  useEffect(() => {
    void load()
  }, [load])

  async function toggle(n: Need) {
    // the whole requirement goes along: left out, regions and amenities would be reset to empty
    const { id, version, clientId: _c, active, createdAt: _a, updatedAt: _u, ...data } = n
    const r = await api.try('needs.update', { id, version, ...data, active: !active })
    if (!r.ok) return void message.error(clientErrorText(t, r.error))
    void message.success(t('clients.needs.toggled'))
    await load()
    onChanged()
  }

  if (problem) return <Alert type="error" showIcon message={clientErrorText(t, problem)} />
  if (needs === null) return <Spin />

  return (
    <div className="client-needs">
      <Space className="client-needs-toolbar" wrap>
        {canEdit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('clients.needs.add')}
          </Button>
        )}
        <Space>
          <Switch size="small" checked={inactive} onChange={setInactive} aria-label={t('clients.needs.showInactive')} />
          <Typography.Text>{t('clients.needs.showInactive')}</Typography.Text>
        </Space>
      </Space>
      {needs.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('clients.needs.empty')} />
      ) : (
        <List
          bordered
          dataSource={needs}
          rowKey="id"
          renderItem={(n) => {
            const parts = needSummary(t, i18n.language, n)
            return (
              <List.Item
                className={n.active ? undefined : 'client-need-inactive'}
                actions={[
                  <MortgageLink key="m" source="budget" priceFen={n.totalPriceMax ?? null} />,
                  <Button key="h" size="small" icon={<HistoryOutlined />} onClick={() => setHistory(n)}>
                    {t('clients.needs.history')}
                  </Button>,
                  ...(canEdit
                    ? [
                        <Button key="e" size="small" icon={<EditOutlined />} onClick={() => setEditing(n)}>
                          {t('clients.needs.edit')}
                        </Button>,
                        <Button key="a" size="small" icon={<PoweroffOutlined />} onClick={() => void toggle(n)}>
                          {t(n.active ? 'clients.needs.deactivate' : 'clients.needs.activate')}
                        </Button>,
                      ]
                    : []),
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space wrap size={[4, 4]}>
                      <Tag color={n.active ? 'green' : undefined}>{t(n.active ? 'clients.needs.active' : 'clients.needs.inactive')}</Tag>
                      <span>{parts.length === 0 ? t('clients.needs.summaryEmpty') : parts.join(' · ')}</span>
                    </Space>
                  }
                  description={
                    <span>
                      {n.note && <span>{n.note} · </span>}
                      {t('clients.fields.updatedAt')} {formatBranchTime(n.updatedAt)}
                    </span>
                  }
                />
              </List.Item>
            )
          }}
        />
      )}
      {editing && (
        <NeedFormModal
          clientId={clientId}
          need={editing === 'new' ? null : editing}
          regionOptions={regionOptions}
          onClose={() => setEditing(null)}
          onSaved={() => {
            void load()
            onChanged()
          }}
        />
      )}
      {history && <NeedHistoryModal need={history} onClose={() => setHistory(null)} />}
    </div>
  )
}
