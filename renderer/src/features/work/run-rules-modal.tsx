import { Alert, Button, Descriptions, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import { useApi } from '../../api/session-context'
import { Dialog } from '../../app/dialog'
import { JobProgressBar, useJob } from './job-progress'
import { workErrorText } from './work-errors'

/** What a finished pass reports, in the order a manager reads it. */
const COUNTS = ['tasksCreated', 'tasksResolved', 'pooled', 'escalated', 'expired'] as const

/**
 * 立即运行规则 (managers and admins): says what a pass does, runs it on Enter as a job (or follows
 * the one already running), shows its progress over the whole book, then what it did. Closing the
 * dialog leaves the pass running on the host.
 */
export function RunRulesModal({ onClose }: { onClose(): void }) {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const [asking, setAsking] = useState(false)
  const [passId, setPassId] = useState<number | null>(null)
  const [result, setResult] = useState<Record<string, number> | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const watch = useJob(
    passId,
    (job) => setResult(job.result ?? {}),
    (error) => setProblem(error ?? { code: 'INTERNAL', message: t('work.job.failed') }),
  )
  const number = (n: number) => n.toLocaleString(i18n.language === 'en' ? 'en-US' : 'zh-CN')
  const stage = result ? 'done' : passId !== null && !problem ? 'running' : 'ask'

  async function run() {
    setAsking(true)
    setProblem(null)
    const r = await api.try('scheduler.run', {})
    setAsking(false)
    if (!r.ok) return setProblem(r.error)
    setPassId(r.value.jobId)
  }

  const footer =
    stage === 'ask'
      ? [
          <Button key="cancel" onClick={onClose}>
            {t('work.common.cancel')}
          </Button>,
          <Button key="run" type="primary" loading={asking} autoFocus onClick={() => void run()}>
            {t('work.settings.runStart')}
          </Button>,
        ]
      : [
          <Button key="close" type={stage === 'done' ? 'primary' : 'default'} autoFocus onClick={onClose}>
            {t('work.depart.close')}
          </Button>,
        ]

  return (
    <Dialog open title={t('work.settings.runNow')} footer={footer} onCancel={onClose} destroyOnHidden maskClosable={false}>
      {problem && <Alert type="error" showIcon message={workErrorText(t, problem)} style={{ marginBottom: 16 }} role="alert" />}
      {stage === 'ask' && <Typography.Paragraph>{t('work.settings.runHint')}</Typography.Paragraph>}
      {stage !== 'ask' && (
        <div data-testid="rules-pass">
          <Typography.Paragraph>{t(stage === 'done' ? 'work.settings.runDone' : 'work.settings.running')}</Typography.Paragraph>
          <JobProgressBar watch={watch} kind="rules.pass" />
        </div>
      )}
      {result && (
        <Descriptions size="small" column={1} bordered style={{ marginTop: 16 }} data-testid="rules-pass-result">
          {COUNTS.map((k) => (
            <Descriptions.Item key={k} label={t(`work.settings.ranCounts.${k}`)}>
              {number(result[k] ?? 0)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Dialog>
  )
}
