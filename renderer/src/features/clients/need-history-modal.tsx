import { Alert, Empty, Spin, Tag, Timeline, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import type { Requirement, RequirementVersion } from '@shared/contract/needs'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { formatBranchTime } from '@shared/domain/branch-time'
import { clientErrorText } from './client-errors'
import { needSummary } from './need-values'
import { Dialog } from '../../app/dialog'

type Need = z.infer<typeof Requirement>
type Version = z.infer<typeof RequirementVersion>

/** 需求修改历史: every saved version of one requirement, newest first, the parts a later version changed marked. */
export function NeedHistoryModal({ need, onClose }: { need: Need; onClose(): void }) {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const [versions, setVersions] = useState<Version[] | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  useEffect(() => {
    let live = true
    void api.try('needs.history', { id: need.id }).then((r) => {
      if (!live) return
      if (r.ok) setVersions(r.value.versions)
      else setProblem(r.error)
    })
    return () => {
      live = false
    }
  }, [api, need.id])

  // the host lists the current version first, then the earlier ones
  const rows = (versions ?? []).map((v, i) => ({
    key: `v${v.version}`,
    title: i === 0 ? t('common.withAside', { text: t('clients.needs.historyVersion', { version: v.version + 1 }), aside: t('clients.needs.historyCurrent') }) : t('clients.needs.historyVersion', { version: v.version + 1 }),
    by: v.changedBy,
    at: v.changedAt,
    parts: needSummary(t, i18n.language, v.data),
  }))

  return (
    <Dialog open title={t('clients.needs.historyTitle')} footer={null} onCancel={onClose} width={720} destroyOnHidden>
      {problem && <Alert type="error" showIcon message={clientErrorText(t, problem)} />}
      {!problem && versions === null && <Spin />}
      {versions !== null && versions.length <= 1 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('clients.needs.historyEmpty')} />}
      {versions !== null && versions.length > 1 && (
        <Timeline
          items={rows.map((row, i) => {
            const newer = i > 0 ? new Set(rows[i - 1]?.parts) : null
            return {
              key: row.key,
              color: i === 0 ? 'blue' : 'gray',
              children: (
                <div>
                  <Typography.Text strong>{row.title}</Typography.Text>{' '}
                  <Typography.Text type="secondary">
                    {t('clients.needs.historyAt', { time: formatBranchTime(row.at) })}
                    {row.by ? ` · ${t('clients.needs.historyBy', { by: row.by })}` : ''}
                  </Typography.Text>
                  <div className="need-history-parts">
                    {row.parts.length === 0
                      ? t('clients.needs.summaryEmpty')
                      : row.parts.map((p) => (
                          <Tag key={p} color={newer && !newer.has(p) ? 'orange' : undefined}>
                            {p}
                          </Tag>
                        ))}
                  </div>
                </div>
              ),
            }
          })}
        />
      )}
    </Dialog>
  )
}
