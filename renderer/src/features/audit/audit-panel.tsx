import { SafetyCertificateOutlined } from '@ant-design/icons'
import { Alert, Button, Descriptions, Space, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AuditVerifyOutput } from '@shared/contract/audit'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { formatBranchTime } from '@shared/domain/branch-time'
import { errorText } from '../../i18n/error-text'

/** 审计日志: the admin's check of the audit chain and its anchor file (what /healthz shows, in words). */
export function AuditPanel() {
  const { t } = useTranslation()
  const api = useApi()
  const [report, setReport] = useState<AuditVerifyOutput | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [running, setRunning] = useState(false)

  const verify = useCallback(async () => {
    setRunning(true)
    const r = await api.try('audit.verify', {})
    setRunning(false)
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    setReport(r.value)
  }, [api])

  useEffect(() => {
    void verify()
  }, [verify])

  const anchorId = report?.anchor.last?.id ?? 0
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 880 }}>
      <Typography.Paragraph type="secondary">{t('audit.intro')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon message={errorText(t, problem)} />}
      {report && (
        <>
          <Alert type={report.ok ? 'success' : 'error'} showIcon message={report.ok ? t('audit.ok') : t('audit.broken')} />
          <Descriptions bordered column={1} size="small">
            <Descriptions.Item label={t('audit.chain')}>
              {report.firstBrokenId === null
                ? t('audit.chainOk', { checked: report.checked })
                : t('audit.chainBroken', { id: report.firstBrokenId, checked: report.checked })}
            </Descriptions.Item>
            <Descriptions.Item label={t('audit.anchor')}>
              <div>{t(`audit.anchorStatus.${report.anchor.status}`, { id: anchorId })}</div>
              {!report.anchor.coversAll && report.anchor.from !== null && (
                <Typography.Text type="warning">{t('audit.anchorFrom', { id: report.anchor.from })}</Typography.Text>
              )}
            </Descriptions.Item>
            {report.head && (
              <Descriptions.Item label={t('audit.head')}>
                {t('audit.headValue', { id: report.head.id, at: formatBranchTime(report.head.at), hash: report.head.hash.slice(0, 16) })}
              </Descriptions.Item>
            )}
            {report.keyedFrom !== null && report.keyedFrom > 1 && (
              <Descriptions.Item label={t('audit.keyedFrom')}>{t('audit.keyedFromValue', { id: report.keyedFrom })}</Descriptions.Item>
            )}
            <Descriptions.Item label={t('audit.verifiedAt')}>{formatBranchTime(report.verifiedAt)}</Descriptions.Item>
          </Descriptions>
        </>
      )}
      <Button icon={<SafetyCertificateOutlined />} loading={running} onClick={() => void verify()}>
        {t('audit.verify')}
      </Button>
    </Space>
  )
}
