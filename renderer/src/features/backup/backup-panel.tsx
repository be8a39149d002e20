import { CloudDownloadOutlined, RollbackOutlined, SaveOutlined } from '@ant-design/icons'
import { Alert, App, Button, Form, Input, InputNumber, Progress, Space, Table, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '@shared/contract/common'
import type { BackupInfo, BackupSettings, RestoreReport } from '@shared/contract/backup'
import type { OutputOf } from '@shared/contract'
import { formatBranchTime } from '@shared/domain/branch-time'
import { useApi } from '../../api/session-context'
import { errorText } from '../../i18n/error-text'
import { RekeySection } from './rekey-section'

/** How often the list is asked again while a backup runs (its progress). */
const POLL_MS = 1_000

function sizeText(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

/** 备份与恢复: the admin takes a backup now, sets the automatic ones and the second folder, sees the kept backups and restores one. */
export function BackupPanel() {
  const { t } = useTranslation()
  const api = useApi()
  const { modal } = App.useApp()
  const [state, setState] = useState<OutputOf<'backup.list'> | null>(null)
  const [problem, setProblem] = useState<ApiErrorShape | null>(null)
  const [restored, setRestored] = useState<RestoreReport | null>(null)
  const [saved, setSaved] = useState(false)
  const [form] = Form.useForm<BackupSettings>()

  const load = useCallback(async () => {
    const r = await api.try('backup.list', {})
    if (!r.ok) return setProblem(r.error)
    setState(r.value)
    return r.value
  }, [api])

  useEffect(() => {
    void load().then((v) => v && form.setFieldsValue(v.settings))
  }, [load, form])

  // while a backup runs, its progress (and then the new backup) is asked for every second
  const running = state?.running ?? null
  useEffect(() => {
    if (!running) return
    const timer = setTimeout(() => void load(), POLL_MS)
    return () => clearTimeout(timer)
  }, [running, state, load])

  const backupNow = async () => {
    setProblem(null)
    const r = await api.try('backup.create', {})
    if (!r.ok) return setProblem(r.error)
    await load()
  }

  const save = async (values: BackupSettings) => {
    setSaved(false)
    const r = await api.try('backup.setSettings', { everyHours: values.everyHours, secondFolder: values.secondFolder.trim() })
    if (!r.ok) return setProblem(r.error)
    setProblem(null)
    setSaved(true)
    await load()
  }

  const restore = (b: BackupInfo) => {
    void modal.confirm({
      title: t('backup.restoreTitle'),
      content: (
        <Space direction="vertical">
          <Typography.Text strong>{formatBranchTime(b.at)}</Typography.Text>
          <Typography.Text type="secondary">{t('backup.restoreBody')}</Typography.Text>
        </Space>
      ),
      okText: t('backup.restoreOk'),
      cancelText: t('backup.cancel'),
      onOk: async () => {
        setRestored(null)
        const r = await api.try('backup.restore', { name: b.name })
        if (!r.ok) return setProblem(r.error)
        setProblem(null)
        setRestored(r.value)
        await load()
      },
    })
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 1000 }}>
      <Typography.Paragraph type="secondary">{t('backup.intro')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon message={errorText(t, problem)} />}
      {restored && (
        <Alert
          type="success"
          showIcon
          message={t('backup.restored', {
            at: formatBranchTime(restored.restored.at),
            clients: restored.restored.counts.clients ?? 0,
            staff: restored.restored.counts.staff ?? 0,
            audit: restored.auditChecked,
            keptAs: restored.keptAs,
          })}
        />
      )}
      {state?.lastFailure && <Alert type="warning" showIcon message={t('backup.lastFailure', { at: formatBranchTime(state.lastFailure.at), reason: t(`backup.failure.${state.lastFailure.reason}`) })} />}
      <Space>
        <Button type="primary" icon={<CloudDownloadOutlined />} loading={running !== null} onClick={() => void backupNow()}>
          {t('backup.backupNow')}
        </Button>
        {running && (
          <Space>
            <Typography.Text>{t('backup.running', { phase: t(`backup.phase.${running.phase}`), percent: running.percent })}</Typography.Text>
            <Progress percent={running.percent} size="small" style={{ width: 160 }} />
          </Space>
        )}
      </Space>
      <Typography.Title level={5}>{t('backup.list')}</Typography.Title>
      <Table<BackupInfo>
        rowKey="name"
        size="small"
        pagination={false}
        dataSource={state?.backups ?? []}
        locale={{ emptyText: t('backup.none') }}
        columns={[
          { title: t('backup.at'), dataIndex: 'at', render: (at: string) => formatBranchTime(at) },
          { title: t('backup.kind'), dataIndex: 'kind', render: (k: BackupInfo['kind']) => t(`backup.kinds.${k}`) },
          { title: t('backup.size'), dataIndex: 'bytes', render: (n: number) => sizeText(n) },
          { title: t('backup.clients'), render: (_v, b) => b.counts.clients ?? 0 },
          { title: t('backup.checksum'), dataIndex: 'sha256', render: (h: string) => <Typography.Text code>{h.slice(0, 12)}</Typography.Text> },
          { title: t('backup.copied'), dataIndex: 'copied', render: (c: boolean) => (c ? t('backup.copiedYes') : t('backup.copiedNo')) },
          {
            title: '',
            render: (_v, b) => (
              <Button size="small" icon={<RollbackOutlined />} disabled={running !== null} onClick={() => restore(b)}>
                {t('backup.restore')}
              </Button>
            ),
          },
        ]}
      />
      <Typography.Title level={5}>{t('backup.settings')}</Typography.Title>
      <Form form={form} layout="vertical" style={{ maxWidth: 560 }} onFinish={(v) => void save(v)} onValuesChange={() => setSaved(false)}>
        <Form.Item name="everyHours" label={t('backup.everyHours')} rules={[{ required: true }]}>
          <InputNumber min={0} max={168} precision={0} />
        </Form.Item>
        <Form.Item name="secondFolder" label={t('backup.secondFolder')}>
          <Input maxLength={500} />
        </Form.Item>
        <Space>
          <Button htmlType="submit" icon={<SaveOutlined />}>
            {t('backup.save')}
          </Button>
          {saved && <Typography.Text type="success">{t('backup.saved')}</Typography.Text>}
        </Space>
      </Form>
      <RekeySection onChanged={() => void load()} />
    </Space>
  )
}
