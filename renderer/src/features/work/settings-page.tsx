import { ThunderboltOutlined } from '@ant-design/icons'
import { Button, Tabs } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { mayCall } from '@shared/domain/permissions'
import { useMe } from '../../api/session-context'
import type { PageProps } from '../../app/routes'
import { AuditPanel } from '../audit/audit-panel'
import { BackupPanel } from '../backup/backup-panel'
import { DevicesPanel } from '../devices/devices-panel'
import { HealthPanel } from '../health/health-panel'
import { BehaviourTagRules } from '../clients/behaviour-tag-rules'
import { ExportSettingsPanel } from '../export/export-settings-panel'
import { KpiTargetsForm } from '../reports/kpi-targets-form'
import { DutyRoster } from './duty-roster'
import { QuestionnairesPanel } from './questionnaires-panel'
import { RulesForm } from './rules-form'
import { RunRulesModal } from './run-rules-modal'
import './work.css'

/** 设置: the follow-up rules, the duty roster, the behaviour tags' rules (read-only) and the questionnaires (editable per role, read-only otherwise); the export settings for managers and admins; the audit log's check, the backups, the system status and the paired devices for admins. */
export function SettingsPage(_props: PageProps) {
  const { t } = useTranslation()
  const me = useMe()
  const [running, setRunning] = useState(false)
  const may = (m: Parameters<typeof mayCall>[1]) => mayCall(me.role, m)

  return (
    <Tabs
      className="work-settings"
      defaultActiveKey="rules"
      tabBarExtraContent={
        may('scheduler.run') && (
          <>
            <Button icon={<ThunderboltOutlined />} onClick={() => setRunning(true)}>
              {t('work.settings.runNow')}
            </Button>
            {running && <RunRulesModal onClose={() => setRunning(false)} />}
          </>
        )
      }
      items={[
        { key: 'rules', label: t('work.settings.rulesTab'), children: <RulesForm editable={may('settings.setRules')} /> },
        ...(may('reports.kpiTargets') ? [{ key: 'kpiTargets', label: t('reports.targets.tab'), children: <KpiTargetsForm editable={may('reports.setKpiTargets')} /> }] : []),
        { key: 'duty', label: t('work.settings.dutyTab'), children: <DutyRoster editable={may('duty.set') && may('staff.list')} /> },
        { key: 'behaviourTags', label: t('clients.behaviourTag.rulesTab'), children: <BehaviourTagRules /> },
        { key: 'questionnaires', label: t('work.settings.questionnairesTab'), children: <QuestionnairesPanel editable={may('questionnaires.save')} /> },
        ...(may('export.setSettings') ? [{ key: 'export', label: t('exporting.settings.title'), children: <ExportSettingsPanel /> }] : []),
        ...(may('audit.verify') ? [{ key: 'audit', label: t('audit.tab'), children: <AuditPanel /> }] : []),
        ...(may('backup.list') ? [{ key: 'backup', label: t('backup.tab'), children: <BackupPanel /> }] : []),
        ...(may('health.status') ? [{ key: 'health', label: t('health.tab'), children: <HealthPanel /> }] : []),
        ...(may('devices.list') ? [{ key: 'devices', label: t('devices.tab'), children: <DevicesPanel /> }] : []),
      ]}
    />
  )
}
