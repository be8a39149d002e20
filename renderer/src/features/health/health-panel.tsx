import { ReloadOutlined } from '@ant-design/icons'
import { Alert, Button, Descriptions, Space, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { HealthReport } from '@shared/contract/health'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'

function sizeText(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(0, Math.round(bytes / 1024))} KB`
}

/** 系统状态: the admin sees the database's size and integrity, the audit chain, the last backup (warned past two days), terminals and scheduler lag. */
export function HealthPanel() {
  const { t } = useTranslation()
  const api = useApi()
  const [report, setReport] = useState<HealthReport | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)

  const load = useCallback(async () => {
    const r = await api.try('health.status', {})
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    setReport(r.value)
  }, [api])

  useEffect(() => {
    void load()
  }, [load])

  const r = report
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 1000 }} data-testid="health-panel">
      <Space>
        <Typography.Text type="secondary">{t('health.intro')}</Typography.Text>
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('health.refresh')}
        </Button>
      </Space>
      {problem && <Alert type="error" showIcon message={errorText(t, problem)} />}
      {r?.backup.stale && <Alert type="warning" showIcon message={t('health.staleBackup')} />}
      {r?.integrity.status === 'failed' && <Alert type="error" showIcon message={t('health.damaged')} />}
      {r && !r.audit.ok && <Alert type="error" showIcon message={t('health.auditBroken')} />}
      {r && short(r.connections) && (
        <Alert
          type="warning"
          showIcon
          data-testid="connections-short"
          message={t('health.connectionsShort', { writer: r.connections.writer.open, readers: r.connections.readers.open, wanted: r.connections.readers.wanted })}
        />
      )}
      {r?.standbys
        .filter((s) => s.stale)
        .map((s) => (
          <Alert key={s.deviceId} type="warning" showIcon data-testid="standby-stale" message={t('health.standbyStale', { name: s.name, minutes: Math.floor(s.lagSeconds / 60) })} />
        ))}
      {r && (
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label={t('health.database')}>{t('health.databaseValue', { size: sizeText(r.database.bytes), wal: sizeText(r.database.walBytes) })}</Descriptions.Item>
          <Descriptions.Item label={t('health.schema')}>{r.schemaVersion}</Descriptions.Item>
          <Descriptions.Item label={t('health.integrity')}>
            {t(`health.integrityStatus.${r.integrity.status}`, { at: r.integrity.checkedAt ? formatBranchTime(r.integrity.checkedAt) : '' })}
          </Descriptions.Item>
          <Descriptions.Item label={t('health.audit')}>{!r.audit.ok ? t('health.auditBad') : r.audit.head ? t('health.auditOk', { id: r.audit.head.id }) : t('health.auditEmpty')}</Descriptions.Item>
          <Descriptions.Item label={t('health.lastBackup')}>
            <Space direction="vertical" size={0}>
              <Typography.Text type={r.backup.stale ? 'warning' : undefined}>
                {r.backup.lastAt ? t('health.backupValue', { at: formatBranchTime(r.backup.lastAt), hours: r.backup.ageHours ?? 0 }) : t('health.backupNone')}
              </Typography.Text>
              {r.backup.lastFailure && <Typography.Text type="danger">{t('health.backupFailed', { at: formatBranchTime(r.backup.lastFailure.at) })}</Typography.Text>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('health.terminals')}>{t('health.terminalsValue', { count: r.terminals })}</Descriptions.Item>
          <Descriptions.Item label={t('health.standbys')}>
            {r.standbys.length === 0 ? (
              t('health.standbyNone')
            ) : (
              <Space direction="vertical" size={0}>
                {r.standbys.map((s) => (
                  <Typography.Text key={s.deviceId} type={s.stale ? 'warning' : undefined}>
                    {t('health.standbyValue', {
                      name: s.name,
                      address: s.address ?? '—',
                      last: s.lastPullAt ? formatBranchTime(s.lastPullAt) : t('health.never'),
                      changes: s.lagChanges,
                      seconds: s.lagSeconds,
                    })}
                  </Typography.Text>
                ))}
              </Space>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('health.scheduler')}>
            {r.scheduler.intervalMs === 0
              ? t('health.schedulerOff')
              : t('health.schedulerValue', {
                  interval: Math.round(r.scheduler.intervalMs / 1000),
                  last: r.scheduler.lastPassAt ? formatBranchTime(r.scheduler.lastPassAt) : t('health.never'),
                  overdue: Math.round(r.scheduler.overdueMs / 1000),
                })}
          </Descriptions.Item>
          <Descriptions.Item label={t('health.connections')}>
            {t('health.connectionsValue', {
              writer: r.connections.writer.open,
              readers: r.connections.readers.open,
              wanted: r.connections.readers.wanted,
              busy: r.connections.writer.busy + r.connections.readers.busy,
              waiting: r.connections.writer.waiting + r.connections.readers.waiting,
              checkpointer: t(r.connections.checkpointer ? 'health.checkpointerOn' : 'health.checkpointerOff'),
              restarts: r.connections.restarts,
            })}
          </Descriptions.Item>
          <Descriptions.Item label={t('health.loopDelay')}>{t('health.loopDelayValue', { ms: r.scheduler.loopDelayP99Ms })}</Descriptions.Item>
          <Descriptions.Item label={t('health.version')}>{r.version}</Descriptions.Item>
        </Descriptions>
      )}
    </Space>
  )
}

/** A side with fewer connections open than the host runs: a worker died and is being replaced (or cannot be). */
function short(c: HealthReport['connections']): boolean {
  return c.writer.open < 1 || c.readers.open < c.readers.wanted
}
