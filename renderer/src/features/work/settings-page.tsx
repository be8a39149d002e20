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
import { workErrorText } from './work-errors'
import './work.css'

/** 设置: the follow-up rules, the duty roster and the questionnaires (editable per role, read-only otherwise); the audit log's check for admins. */
export function SettingsPage(_props: PageProps) {
  const { t } = useTranslation()
  const api = useApi()
  const me = useMe()
  const { message } = App.useApp()
  const [running, setRunning] = useState(false)
  const may = (m: Parameters<typeof mayCall>[1]) => mayCall(me.role, m)

  async function runNow() {
    setRunning(true)
    const r = await api.try('scheduler.run', {})
    setRunning(false)
    if (!r.ok) return void message.error(workErrorText(t, r.error))
    void message.success(t('work.settings.ran', r.value), 6)
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
