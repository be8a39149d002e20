import { ThunderboltOutlined } from '@ant-design/icons'
import { App, Button, Tabs } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { mayCall } from '@shared/domain/permissions'
import { useApi, useMe } from '../../api/session-context'
import type { PageProps } from '../../app/routes'
import { AuditPanel } from '../audit/audit-panel'
import { DutyRoster } from './duty-roster'
import { QuestionnairesPanel } from './questionnaires-panel'
import { RulesForm } from './rules-form'
import { useJob } from './job-progress'
import { workErrorText } from './work-errors'
import './work.css'

/** 设置: the follow-up rules, the duty roster and the questionnaires (editable per role, read-only otherwise); the audit log's check for admins. */
export function SettingsPage(_props: PageProps) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  const [passId, setPassId] = useState<number | null>(null)
  const [asking, setAsking] = useState(false)
  const running = asking || passId !== null
  // the pass runs as a job: its counts once it has finished
  useJob(
    passId,
    (job) => {
      setPassId(null)
      void message.success(t('work.settings.ran', { tasksCreated: 0, tasksResolved: 0, pooled: 0, escalated: 0, ...job.result }), 6)
    },
    (error) => {
      setPassId(null)
      void message.error(error ? workErrorText(t, error) : t('work.job.failed'))
    },
  )
  const may = (m: Parameters<typeof mayCall>[1]) => mayCall(me.role, m)

  async function runNow() {
    setAsking(true)
    const r = await api.try('scheduler.run', {})
    setAsking(false)
    if (!r.ok) return void message.error(workErrorText(t, r.error))
    setPassId(r.value.jobId)
  }

  return (
    <Tabs
      className="work-settings"
      defaultActiveKey="rules"
      tabBarExtraContent={
        may('scheduler.run') && (
          <Button icon={<ThunderboltOutlined />} loading={running} onClick={() => void runNow()}>
            {t('work.settings.runNow')}
          </Button>
        )
      }
      items={[
        { key: 'rules', label: t('work.settings.rulesTab'), children: <RulesForm editable={may('settings.setRules')} /> },
        { key: 'duty', label: t('work.settings.dutyTab'), children: <DutyRoster editable={may('duty.set') && may('staff.list')} /> },
        { key: 'questionnaires', label: t('work.settings.questionnairesTab'), children: <QuestionnairesPanel editable={may('questionnaires.save')} /> },
        ...(may('audit.verify') ? [{ key: 'audit', label: t('audit.tab'), children: <AuditPanel /> }] : []),
      ]}
    />
  )
}
